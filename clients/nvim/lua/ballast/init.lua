-- Ballast's command language in Neovim: `require("ballast").setup{…}` and what the commands,
-- mappings, 'omnifunc' and a statusline call. Each idea lives in its own module beside this one.
local config = require("ballast.config")

local M = {}

local registered = false
local function register()
  if not registered then
    registered = true
    require("ballast.bridge").on_notification("$/progress", require("ballast.progress").handle)
  end
end
register()

--- Changes the settings (see `:help ballast-setup`).
function M.setup(options)
  config.setup(options)
  return M
end

--- Runs `code` (statements of the command language) and shows what it printed.
function M.run(code, range, on_done)
  if code == nil or not code:match("%S") then
    require("ballast.results").show()
    return nil
  end
  return require("ballast.execute").run(code, range, on_done)
end

--- Sends lines `first`…`last` (1-based, inclusive) of buffer `buf` (0: the current one).
function M.send_lines(buf, first, last)
  buf = (buf == nil or buf == 0) and vim.api.nvim_get_current_buf() or buf
  local lines = vim.api.nvim_buf_get_lines(buf, first - 1, last, false)
  local inline = require("ballast.inline")
  return M.run(table.concat(lines, "\n"), inline.range(buf, first - 1, last - 1))
end

--- Sends the cursor's line.
function M.send_line()
  local row = vim.api.nvim_win_get_cursor(0)[1]
  return M.send_lines(0, row, row)
end

--- Sends the lines of the last visual selection.
function M.send_selection()
  local first, last = vim.fn.line("'<"), vim.fn.line("'>")
  if first == 0 then
    return nil
  end
  return M.send_lines(0, math.min(first, last), math.max(first, last))
end

--- Sends the whole buffer.
function M.send_file()
  return M.send_lines(0, 1, vim.api.nvim_buf_line_count(0))
end

--- Cancels the running command (and those waiting behind it).
function M.cancel()
  return require("ballast.execute").cancel()
end

--- Shows the results window and moves there, or closes it from inside.
function M.toggle_results()
  require("ballast.results").toggle()
end

--- 'omnifunc' for `.bal` buffers: `setlocal omnifunc=v:lua.require'ballast'.omnifunc`.
function M.omnifunc(findstart, base)
  return require("ballast.completion").omnifunc(findstart, base)
end

--- For a statusline: the running command's progress line, "ballast: N running", or "".
function M.statusline()
  local text = require("ballast.progress").text()
  if text ~= "" then
    return text
  end
  local busy = require("ballast.execute").busy()
  return busy > 0 and string.format("ballast: %d running", busy) or ""
end

--- Ends the bridge process (the daemon keeps running; the next command starts a new bridge).
function M.stop()
  require("ballast.bridge").stop()
end

return M
