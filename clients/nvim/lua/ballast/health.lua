-- `:checkhealth ballast`: Neovim's version, the bridge program, and a command through it.
-- Works with the health API of 0.7 (`require("health").report_*`) and of later releases
-- (`vim.health.start/ok/…`, or `vim.health.report_*` in between).
local M = {}

local function reporter()
  local health = vim.health
  if health == nil or (health.ok == nil and health.report_ok == nil) then
    health = require("health")
  end
  local function pick(new, old)
    return health[new] or health[old]
  end
  return {
    start = pick("start", "report_start"),
    ok = pick("ok", "report_ok"),
    info = pick("info", "report_info"),
    warn = pick("warn", "report_warn"),
    error = pick("error", "report_error"),
  }
end

function M.check()
  local report = reporter()
  local config = require("ballast.config")
  local bridge = require("ballast.bridge")

  report.start("Neovim")
  if vim.fn.has("nvim-0.7") == 1 then
    report.ok("Neovim " .. tostring(vim.version().major) .. "." .. vim.version().minor .. "." .. vim.version().patch)
  else
    report.error("Neovim 0.7 or later is needed.")
  end

  report.start("The bridge and the daemon")
  local command, origin = config.command()
  local program = vim.fn.exepath(command[1])
  if program == "" then
    report.error(string.format("%q (from %s) is not an executable program.", command[1], origin),
      { "Install Ballast, or point $BALLAST, g:ballast_command or setup{cmd = {…}} at the `ballast` binary." })
    return
  end
  report.ok(string.format("Command: %s (from %s), found at %s", table.concat(command, " "), origin, program))
  for _, name in ipairs({ "BALLASTD", "BALLAST_CONNECTION_FILE", "BALLAST_STATE_DIR" }) do
    if vim.env[name] and vim.env[name] ~= "" then
      report.info(string.format("$%s = %s", name, vim.env[name]))
    end
  end

  local answer, err = bridge.request_sync("repl/is_complete", { code = "help" }, 10000)
  if err then
    report.error("The bridge does not answer the command language (repl/is_complete): " .. (err.message or "?"),
      { "Ballast 1.7 or later is needed: `ballast --version`." })
    return
  end
  report.ok(string.format("The bridge (pid %s) speaks the command language (repl/*).", tostring(bridge.pid())))

  local busy = require("ballast.execute").busy()
  if busy > 0 then
    report.info(string.format("%d command%s running; the daemon check waits for none.", busy, busy == 1 and " is" or "s are"))
    return
  end
  local result
  result, err = bridge.request_sync("repl/execute", { code = "ping" }, 20000)
  if err then
    report.error("The daemon did not answer `ping`: " .. (err.message or "?"))
  elseif result.status ~= "ok" then
    local output = result.outputs and result.outputs[#result.outputs]
    report.error("The daemon did not answer `ping`: " .. (output and output.text or result.status),
      { "`ballast` starts a daemon when none runs: is `ballastd` next to it or in $BALLASTD?" })
  else
    local output = result.outputs[1]
    report.ok("The daemon answers: " .. vim.trim(output and output.text or "pong"))
  end
  if answer.status == nil then
    report.warn("repl/is_complete answered without a status.")
  end
end

return M
