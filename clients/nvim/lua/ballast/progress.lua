-- Live progress of long commands: `$/progress` notifications handed to the command that asked
-- for them, shown through `statusline()` at once and through vim.notify only for a command that
-- runs longer than `progress_delay_ms` (then at most once per `progress_interval_ms`, and one
-- last line saying it is done), so short commands leave no bar behind.
local config = require("ballast.config")

local M = {}

local watchers = {} -- token → function(value, text)
local current = nil -- { token, text } of the latest report, until its command ends
local jobs = {} -- token → { [command index] = { started, last, notified, record } }

--- Milliseconds on a monotonic clock (a test may replace it).
function M.clock()
  return (vim.uv or vim.loop).now()
end

local function refresh()
  vim.cmd("redrawstatus")
  if vim.fn.exists("#User#BallastProgress") == 1 then
    vim.cmd("doautocmd <nomodeline> User BallastProgress")
  end
end

-- Neovim's own vim.notify echoes into :messages, where a bar every few seconds is clutter.
local function builtin_notify()
  local ok, info = pcall(debug.getinfo, vim.notify, "S")
  return ok and type(info) == "table" and type(info.source) == "string" and info.source:find("vim/_editor.lua", 1, true) ~= nil
end

local function show(job, text)
  job.notified = true
  if builtin_notify() then
    vim.api.nvim_echo({ { text } }, false, {}) -- the command line only, not :messages
    return
  end
  -- A notification plugin (nvim-notify, …) updates the same notification in place.
  local options = { title = "ballast", replace = job.record, hide_from_history = true }
  local ok, record = pcall(vim.notify, text, vim.log.levels.INFO, options)
  if not ok then
    options.replace = nil
    ok, record = pcall(vim.notify, text, vim.log.levels.INFO, options)
  end
  job.record = ok and record or nil
end

local function notify(job, text)
  if not config.options.notify_progress then
    return
  end
  local now = M.clock()
  if now - job.started < config.options.progress_delay_ms then
    return
  end
  if job.last ~= nil and now - job.last < config.options.progress_interval_ms then
    return
  end
  job.last = now
  show(job, text)
end

--- `fn(value, text)` receives every value reported under `token` (progress, or partial results).
function M.watch(token, fn)
  watchers[token] = fn
end

--- Forgets `token` (its command has its reply).
function M.unwatch(token)
  watchers[token] = nil
  jobs[token] = nil
  if current and current.token == token then
    current = nil
    refresh()
  end
end

--- The output at `index` (0-based) of the command watched under `token` has come: when its
--- progress was notified, one last line says it is done (a failure or a cancel is reported by
--- the command itself). `label` names it ("train", "train (line 3)").
function M.finished(token, index, output, label)
  local job = jobs[token] and jobs[token][index]
  if not job then
    return
  end
  jobs[token][index] = nil
  if job.notified and type(output) == "table" and type(output.error) ~= "table" then
    local seconds = (M.clock() - job.started) / 1000
    local options = { title = "ballast", replace = job.record }
    local message = string.format("ballast: %s done after %.1f s", label, seconds)
    if not pcall(vim.notify, message, vim.log.levels.INFO, options) then
      options.replace = nil
      vim.notify(message, vim.log.levels.INFO, options)
    end
  end
end

--- The `$/progress` handler: {token, value = {kind, text, command, line, …}}.
function M.handle(params)
  if type(params) ~= "table" or type(params.value) ~= "table" then
    return
  end
  local token, value = params.token, params.value
  if value.outputs ~= nil then
    -- A partial result (OUTPUTs as they come), not progress: only its command wants it.
    if watchers[token] then
      watchers[token](value, nil)
    end
    return
  end
  local text = value.text
  if type(text) ~= "string" or text == "" then
    text = type(value.title) == "string" and value.title or (type(value.message) == "string" and value.message or nil)
  end
  local index = type(value.command) == "number" and value.command or 0
  jobs[token] = jobs[token] or {}
  local job = jobs[token][index]
  if value.kind == "begin" or job == nil then
    job = { started = M.clock(), notified = false, record = job and job.record }
    jobs[token][index] = job
  end
  if value.kind == "end" then
    if current and current.token == token then
      current = nil
    end
  elseif text then
    current = { token = token, text = text }
    notify(job, "ballast: " .. text)
  end
  local watcher = watchers[token]
  if watcher then
    watcher(value, text)
  end
  refresh()
end

--- The latest progress line ("" when nothing reports), for a statusline.
function M.text()
  return current and current.text or ""
end

return M
