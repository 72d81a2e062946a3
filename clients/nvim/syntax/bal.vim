" Ballast's command language: commands, options (key=), `as NAME`, strings, numbers, comments.
if exists("b:current_syntax")
  finish
endif

syntax case match

" A command starts a statement (a line or the text after `;`).
syntax match balCommand /\%(\%(^\|;\)\s*\)\@<=\%(load-model\|describe-model\|drop-model\|vs-seed\|generate\|load\|split\|kfold\|standardize\|resample\|weights\|train\|evaluate\|predict\|save\|datasets\|models\|describe\|head\|drop\|compare\|sweep\|events\|cancel\|status\|ping\|call\|plot\|echo\|help\|exit\|quit\)\ze\%(\s\|;\|$\)/
syntax match balCommand /\%(\%(^\|;\)\s*\)\@<=runs\ze\%(\s\|;\|$\)/ nextgroup=balSubcommand skipwhite
syntax match balSubcommand /\%(next\|show\|compare\|delete\)\ze\%(\s\|;\|$\)/ contained
" The method `call` names: dataset/split, model/train, …
syntax match balMethod /\<[a-z]\+\/[a-z_/]\+\>/

syntax match balOption /\<[A-Za-z_][A-Za-z0-9_.]*=/ nextgroup=balString,balNumber,balJSON
syntax match balAs /\s\zsas\ze\s\+\S/ nextgroup=balName skipwhite
syntax match balName /[^[:space:];#]\+/ contained

syntax match balNumber /\%(^\|[[:space:]=:,[]\)\@1<=[-+]\=\%(\d\+\.\=\d*\|\.\d\+\)\%([eE][-+]\=\d\+\)\=%\=\ze\%([[:space:];:,\]]\|$\)/
syntax keyword balBoolean true false null

syntax region balString start=/"/ skip=/\\./ end=/"/ contains=balEscape
syntax region balString start=/'/ end=/'/
syntax match balEscape /\\./ contained
syntax region balJSON start=/\%(^\|\s\|=\)\zs{/ end=/}/ contains=balString,balNumber,balBoolean,balJSON
syntax region balJSON start=/\%(^\|\s\|=\)\zs\[/ end=/\]/ contains=balString,balNumber,balBoolean,balJSON

syntax match balComment /\%(^\|\s\)\zs#.*$/ contains=balTodo,@Spell
syntax keyword balTodo TODO FIXME XXX NOTE contained
syntax match balSeparator /;/

highlight default link balCommand Statement
highlight default link balSubcommand Statement
highlight default link balMethod Function
highlight default link balOption Identifier
highlight default link balAs Keyword
highlight default link balName Type
highlight default link balNumber Number
highlight default link balBoolean Boolean
highlight default link balString String
highlight default link balEscape SpecialChar
highlight default link balJSON Special
highlight default link balComment Comment
highlight default link balTodo Todo
highlight default link balSeparator Delimiter

let b:current_syntax = "bal"
