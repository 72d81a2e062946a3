-- Running code: one `repl/execute` per send, its outputs into the results buffer (and as virtual
-- text on the sent lines), its progress shown live; cancelling what runs and what waits.
local bridge = require("ballast.bridge")
local inline = require("ballast.inline")
local progress = require("ballast.progress")
local results = require("ballast.results")

local M = {}

local outstanding = {} -- {id, entry} in the order sent: the first runs, the others wait
local tokens = 0

local function forget(id)
  for index, value in ipairs(outstanding) do
    if value.id == id then
      table.remove(outstanding, index)
      return
    end
  end
end

local function describe_error(output, code)
  local err = output.error
  local message = type(err.message) == "string" and err.message or "the command failed"
  local several_lines = code:find("\n%s*%S") ~= nil
  local where = (several_lines and type(output.line) == "number") and string.format(" (line %d)", output.line) or ""
  return string.format("ballast: %s%s", message, where)
end

--- Runs `code` (one or more statements). `range` (from inline.range) says which buffer lines it
--- came from, for virtual text; nil for `:Ballast`. `on_done(err, result)` is optional.
function M.run(code, range, on_done)
  local entry = results.begin(code)
  local code_lines = vim.split(code, "\n", { plain = true })
  if range then
    inline.running(range, results.next_statement(code_lines, 0))
  end
  tokens = tokens + 1
  local token = "nvim-" .. tokens
  local partial_token = "nvim-outputs-" .. tokens
  local params = { code = code, width = results.width(), progress_token = token, partial_result_token = partial_token }
  local id
  local finished = {} -- output indexes (0-based) already shown
  local several_lines = code:find("\n%s*%S") ~= nil
  local function label(output)
    local name = tostring(output.command or "command")
    return (several_lines and type(output.line) == "number") and string.format("%s (line %d)", name, output.line) or name
  end
  progress.watch(token, function(value, text)
    if text and value.kind ~= "end" and not finished[value.command] then
      results.progress(entry, value.line, text)
      if range then
        inline.progress(range, value.line, text)
      end
    end
  end)
  -- Each OUTPUT as soon as its statement has run, so a long file fills the results as it goes.
  progress.watch(partial_token, function(value)
    if type(value.outputs) ~= "table" or type(value.index) ~= "number" then
      return
    end
    for offset, output in ipairs(value.outputs) do
      local index = value.index + offset - 1
      finished[index] = true
      progress.finished(token, index, output, label(output))
      results.output(entry, index, output)
      if range then
        inline.output(range, output, results.next_statement(code_lines, output.line))
      end
    end
  end)
  id = bridge.request("repl/execute", params, function(err, result)
    for index, output in ipairs(type(result) == "table" and type(result.outputs) == "table" and result.outputs or {}) do
      progress.finished(token, index - 1, output, label(output))
    end
    progress.unwatch(token)
    progress.unwatch(partial_token)
    if id then
      forget(id)
    end
    if err then
      results.fail(entry, err)
      if range then
        inline.fail(range, err)
      end
      vim.notify("ballast: " .. (err.message or "the request failed"), vim.log.levels.ERROR, { title = "ballast" })
    else
      local outputs = type(result.outputs) == "table" and result.outputs or {}
      results.finish(entry, outputs, result.status)
      if range then
        inline.finish(range, outputs, result.status)
      end
      local last = outputs[#outputs]
      if result.status == "error" and last and type(last.error) == "table" then
        vim.notify(describe_error(last, code), vim.log.levels.ERROR, { title = "ballast" })
      elseif result.status == "cancelled" then
        vim.notify("ballast: cancelled", vim.log.levels.WARN, { title = "ballast" })
      end
    end
    if on_done then
      on_done(err, result)
    end
  end)
  if id then
    table.insert(outstanding, { id = id, entry = entry })
  end
  return id
end

--- Cancels every command sent and not yet answered (the running one stops and shows what it has;
--- the waiting ones never start). A second cancel while the first is unanswered stops waiting for
--- the daemon, as a second Ctrl-C at the REPL. Returns how many were cancelled.
function M.cancel()
  -- The waiting ones first: cancelled first, the running one could end and let the next start.
  for index = #outstanding, 1, -1 do
    local command = outstanding[index]
    bridge.cancel(command.id)
    results.status(command.entry, "cancelling…")
  end
  if #outstanding == 0 then
    vim.notify("ballast: nothing is running", vim.log.levels.INFO, { title = "ballast" })
  end
  return #outstanding
end

--- How many commands are sent and not yet answered.
function M.busy()
  return #outstanding
end

return M
