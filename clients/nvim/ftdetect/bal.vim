" Ballast scripts: `ballast run FILE.bal`, `:Ballast`, the Jupyter kernel's cells.
autocmd BufNewFile,BufRead *.bal setfiletype bal
