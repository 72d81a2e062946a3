-- Live progress of long commands: `$/progress` notifications handed to the command that asked
-- for them, shown through vim.notify (at most once per interval) and `statusline()`.
local config = require("ballast.config")

local M = {}

local watchers = {} -- token → function(value)
local current = nil -- { token, text } of the latest report, until its command ends
local last_notified = nil -- when the last progress notification went out (milliseconds)

local function refresh()
  vim.cmd("redrawstatus")
  if vim.fn.exists("#User#BallastProgress") == 1 then
    vim.cmd("doautocmd <nomodeline> User BallastProgress")
  end
end

local function notify(text)
  if not config.options.notify_progress then
    return
  end
  local now = (vim.uv or vim.loop).now()
  if last_notified ~= nil and now - last_notified < config.options.progress_interval_ms then
    return
  end
  last_notified = now
  vim.notify(text, vim.log.levels.INFO, { title = "ballast" })
end

--- `fn(value)` receives every progress value reported under `token`.
function M.watch(token, fn)
  watchers[token] = fn
end

--- Forgets `token` (its command has its reply).
function M.unwatch(token)
  watchers[token] = nil
  if current and current.token == token then
    current = nil
    refresh()
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
  if value.kind == "end" then
    if current and current.token == token then
      current = nil
    end
    last_notified = nil
  elseif text then
    current = { token = token, text = text }
    notify("ballast: " .. text)
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
