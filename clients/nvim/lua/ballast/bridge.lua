-- The bridge process (`ballast --stdio`): started on first use, one JSON-RPC object per line each
-- way, replies matched to their requests by id, notifications handed to whoever listens.
-- When it dies, every waiting request is answered with an error, the user is told why once,
-- and the next request starts a new one.
local config = require("ballast.config")

local M = {}

-- An error the plugin reports itself, shaped like a JSON-RPC error: the bridge is gone or never
-- started (the same code the bridge uses when its daemon is gone), or a synchronous wait ran out.
M.UNAVAILABLE = -32013
M.TIMED_OUT = -32001

local STDERR_LINES_KEPT = 20

local state = {
  job = nil, -- the job id while the bridge runs
  command = nil, -- the command line it was started with
  stdout_reader = nil, -- the line reader of its standard output
  stderr_reader = nil, -- and of its standard error
  stderr = {}, -- its last lines of standard error, for messages
  pending = {}, -- id → callback(err, result)
  next_id = 1,
  stopping = false, -- true while we end it ourselves (no message then)
}

local listeners = {} -- method → list of function(params)

--- Calls `fn(params)` for every notification `method` the bridge writes.
function M.on_notification(method, fn)
  listeners[method] = listeners[method] or {}
  table.insert(listeners[method], fn)
end

local function warn(message, level)
  vim.schedule(function()
    vim.notify(message, level or vim.log.levels.WARN, { title = "ballast" })
  end)
end

local function stderr_tail()
  local lines = vim.tbl_filter(function(line)
    return line:match("%S") ~= nil
  end, state.stderr)
  return table.concat(lines, " ", math.max(1, #lines - 2))
end

local function dispatch(message, line)
  if type(message) ~= "table" then
    return
  end
  local id = message.id
  if id ~= nil and id ~= vim.NIL and message.method == nil then
    local callback = state.pending[id]
    state.pending[id] = nil
    if callback then
      local err = message.error
      if err == vim.NIL then
        err = nil
      end
      callback(err, err == nil and message.result or nil, line)
    end
    return
  end
  if message.method ~= nil then
    for _, fn in ipairs(listeners[message.method] or {}) do
      local ok, problem = pcall(fn, message.params)
      if not ok then
        warn("ballast: a " .. message.method .. " handler failed: " .. tostring(problem), vim.log.levels.ERROR)
      end
    end
  end
end

--- Whole lines out of a job's output, for `on_line(line)`. jobstart hands the output over split
--- at newlines: the first item continues the last partial line, the last item starts the next
--- one ("" when the output ended with a newline). `flush()` hands over an unfinished last line.
local function line_reader(on_line)
  local partial = ""
  return {
    feed = function(data)
      partial = partial .. data[1]
      for index = 2, #data do
        local line = partial
        partial = data[index]
        on_line(line)
      end
    end,
    flush = function()
      if partial ~= "" then
        on_line(partial)
        partial = ""
      end
    end,
  }
end

local function on_stdout_line(line)
  if line:match("%S") then
    local ok, message = pcall(vim.fn.json_decode, line)
    if ok then
      dispatch(message, line)
    else
      warn("ballast: the bridge wrote a line that is not JSON: " .. line:sub(1, 200))
    end
  end
end

local function on_stderr_line(line)
  table.insert(state.stderr, line)
  if #state.stderr > STDERR_LINES_KEPT then
    table.remove(state.stderr, 1)
  end
end

local function on_stdout(_, data)
  state.stdout_reader.feed(data)
end

local function on_stderr(_, data)
  state.stderr_reader.feed(data)
end

local function fail_pending(err)
  local pending = state.pending
  state.pending = {}
  for _, callback in pairs(pending) do
    callback(err, nil)
  end
end

local function on_exit(job, status)
  if state.job ~= job then
    return
  end
  state.stderr_reader.flush()
  local why = stderr_tail()
  local message = string.format("The ballast bridge (%s) exited with status %d%s", table.concat(state.command, " "), status,
    why ~= "" and (": " .. why) or ".")
  state.job = nil
  local stopping = state.stopping
  state.stopping = false
  fail_pending({ code = M.UNAVAILABLE, message = message, data = { status = status } })
  if not stopping then
    warn("ballast: " .. message .. " The next command starts it again.")
  end
end

local function write(message)
  local line = vim.fn.json_encode(message) .. "\n"
  return vim.fn.chansend(state.job, line) > 0
end

--- Starts the bridge unless it runs. Returns true, or false and an error.
function M.start()
  if state.job then
    return true
  end
  local command, origin = config.command()
  local program = command[1]
  if vim.fn.executable(program) ~= 1 then
    return false, {
      code = M.UNAVAILABLE,
      message = string.format("Cannot start the ballast bridge: %q (from %s) is not an executable program. "
        .. "Set $BALLAST, g:ballast_command or require(\"ballast\").setup{cmd = {…}}.", program, origin),
    }
  end
  state.stdout_reader, state.stderr_reader, state.stderr = line_reader(on_stdout_line), line_reader(on_stderr_line), {}
  local ok, job = pcall(vim.fn.jobstart, command, {
    on_stdout = on_stdout,
    on_stderr = on_stderr,
    on_exit = on_exit,
  })
  if not ok or job <= 0 then
    return false, {
      code = M.UNAVAILABLE,
      message = string.format("Cannot start the ballast bridge %s: %s", table.concat(command, " "),
        ok and ("jobstart returned " .. tostring(job)) or tostring(job)),
    }
  end
  state.job, state.command = job, command
  if not state.leave_hook then
    state.leave_hook = true
    vim.cmd([[autocmd VimLeavePre * lua require("ballast.bridge").leave()]])
  end
  return true
end

--- When Neovim quits: cancels what still runs (a training should not outlive its editor), then
--- ends the bridge's input so it exits once those are answered.
function M.leave()
  if state.job then
    state.stopping = true
    for id in pairs(state.pending) do
      write({ jsonrpc = "2.0", method = "$/cancelRequest", params = { id = id } })
    end
    pcall(vim.fn.chanclose, state.job, "stdin")
  end
end

--- Sends a request; `callback(err, result, line)` runs once with the reply (`line` is the reply as
--- the bridge wrote it), or with an error alone when the bridge cannot start (then before this
--- returns) or dies first. Returns the request's id, or nil.
function M.request(method, params, callback)
  local started, problem = M.start()
  if not started then
    callback(problem, nil)
    return nil
  end
  local id = state.next_id
  state.next_id = id + 1
  state.pending[id] = callback
  if not write({ jsonrpc = "2.0", id = id, method = method, params = params }) then
    state.pending[id] = nil
    callback({ code = M.UNAVAILABLE, message = "Could not write to the ballast bridge." }, nil)
    return nil
  end
  return id
end

--- Sends a notification (no reply). Does nothing when the bridge does not run.
function M.notify(method, params)
  if state.job then
    write({ jsonrpc = "2.0", method = method, params = params })
  end
end

--- Asks the bridge to cancel request `id` (its reply still comes, with what it has).
function M.cancel(id)
  if state.pending[id] then
    M.notify("$/cancelRequest", { id = id })
  end
end

--- Waits for the reply to a request (for completion and :checkhealth): returns result, err, and
--- the reply's line as written.
function M.request_sync(method, params, timeout_ms)
  local done, reply_err, reply, reply_line = false, nil, nil, nil
  local id = M.request(method, params, function(err, result, line)
    done, reply_err, reply, reply_line = true, err, result, line
  end)
  if not done and id ~= nil then
    timeout_ms = timeout_ms or config.options.sync_timeout_ms
    if not vim.wait(timeout_ms, function()
      return done
    end, 10) then
      state.pending[id] = nil
      M.notify("$/cancelRequest", { id = id })
      return nil, { code = M.TIMED_OUT, message = string.format("The ballast bridge did not answer %s within %d ms.", method, timeout_ms) }
    end
  end
  return reply, reply_err, reply_line
end

--- True while the bridge process runs.
function M.running()
  return state.job ~= nil
end

--- The bridge's process id, or nil.
function M.pid()
  if not state.job then
    return nil
  end
  local ok, pid = pcall(vim.fn.jobpid, state.job)
  return ok and pid or nil
end

--- Ends the bridge (its daemon keeps running); waiting requests get an error, quietly.
function M.stop()
  if state.job then
    state.stopping = true
    vim.fn.jobstop(state.job)
  end
end

return M
