-- `.bal` buffers: comments, completion and the mappings that send code to Ballast.
if vim.b.did_ftplugin then
  return
end
vim.b.did_ftplugin = true

vim.bo.commentstring = "# %s"
vim.bo.comments = ":#"
vim.bo.omnifunc = "v:lua.require'ballast'.omnifunc"

local mappings = require("ballast.config").options.mappings
local function map(mode, lhs, rhs, desc)
  if lhs then
    vim.keymap.set(mode, lhs, rhs, { buffer = true, silent = true, desc = desc })
  end
end
map("n", mappings.send_line, function()
  require("ballast").send_line()
end, "Ballast: run this line")
map("x", mappings.send_selection, ":<C-u>lua require('ballast').send_selection()<CR>", "Ballast: run the selected lines")
map("n", mappings.send_file, function()
  require("ballast").send_file()
end, "Ballast: run the file")
map("n", mappings.help, function()
  require("ballast.inspect").under_cursor()
end, "Ballast: help for the command under the cursor")

-- The cancel key (<C-c>) cancels what runs; with nothing running it does what it always does.
if mappings.cancel then
  local own = vim.api.nvim_replace_termcodes(mappings.cancel, true, false, true)
  vim.keymap.set("n", mappings.cancel, function()
    if require("ballast.execute").busy() == 0 then
      return own
    end
    vim.schedule(function()
      require("ballast").cancel()
    end)
    return ""
  end, { buffer = true, expr = true, desc = "Ballast: cancel the running command" })
end

local undo = { "setlocal commentstring< comments< omnifunc<" }
for mode, lhs in pairs({ n = { mappings.send_line, mappings.send_file, mappings.help, mappings.cancel }, x = { mappings.send_selection } }) do
  for _, key in ipairs(lhs) do
    if key then
      -- Inside :execute, since a mapping command takes a `|` as part of its keys.
      table.insert(undo, string.format("execute 'silent! %sunmap <buffer> %s'", mode, key))
    end
  end
end
vim.b.undo_ftplugin = (vim.b.undo_ftplugin and (vim.b.undo_ftplugin .. " | ") or "") .. table.concat(undo, " | ")
