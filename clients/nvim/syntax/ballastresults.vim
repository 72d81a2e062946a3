" The results buffer (ballast://results): command headers and cancellation notes.
if exists("b:current_syntax")
  finish
endif
syntax match ballastResultsHeader /^» .*$/
syntax match ballastResultsError /^error: .*$/
syntax match ballastResultsCancelled /^cancelled\%(: .*\| before it started\)$/
highlight default link ballastResultsHeader Title
highlight default link ballastResultsError ErrorMsg
highlight default link ballastResultsCancelled WarningMsg
let b:current_syntax = "ballastresults"
