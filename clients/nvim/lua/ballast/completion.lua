-- Completion from the REPL's own (`repl/complete`): the buffer's omnifunc and `:Ballast`'s
-- command-line completion. The service counts in code points; Neovim in bytes.
local bridge = require("ballast.bridge")

local M = {}

local last_matches = {}
local told = false

-- Code points before byte `column`, and the byte where code point `index` starts (composing
-- characters count on their own, as the service counts).
local function code_points(text, column)
  return vim.fn.strchars(text:sub(1, column))
end
local function byte_column(text, index)
  local column = vim.fn.byteidxcomp(text, index)
  return column < 0 and #text or column
end

local function complete(code, byte_cursor)
  local cursor = code_points(code, byte_cursor)
  local result, err = bridge.request_sync("repl/complete", { code = code, cursor = cursor })
  if err or type(result) ~= "table" then
    if not told and err then
      told = true
      vim.notify("ballast: no completion: " .. (err.message or "?"), vim.log.levels.WARN, { title = "ballast" })
    end
    return nil
  end
  told = false
  local start = byte_column(code, tonumber(result.cursor_start) or cursor)
  return type(result.matches) == "table" and result.matches or {}, start
end

--- 'omnifunc': `v:lua.require'ballast'.omnifunc`. The statement is the cursor's line.
function M.omnifunc(findstart, base)
  if findstart == 1 then
    local line = vim.api.nvim_get_current_line()
    local column = vim.api.nvim_win_get_cursor(0)[2]
    local matches, start = complete(line, column)
    if not matches then
      return -3 -- leave completion mode quietly
    end
    last_matches = matches
    return start
  end
  local words = {}
  for _, match in ipairs(last_matches) do
    if vim.startswith(match, base) then
      table.insert(words, { word = match, menu = "[ballast]" })
    end
  end
  return words
end

--- `:Ballast`'s completion (a command-line `complete` function): the service completes the
--- word at the cursor, Vim replaces `arg_lead`, so each match keeps what the word's start leaves.
function M.command_line(arg_lead, command_line, cursor_position)
  local typed = command_line:sub(1, cursor_position)
  local code = typed:match("^.-Ballast!?%s+(.*)$")
  if code == nil then
    return {}
  end
  local matches, start = complete(code, #code)
  if not matches then
    return {}
  end
  local lead_start = #code - #arg_lead
  local kept = start > lead_start and code:sub(lead_start + 1, start) or ""
  local candidates = {}
  for _, match in ipairs(matches) do
    table.insert(candidates, kept .. match)
  end
  return candidates
end

return M
