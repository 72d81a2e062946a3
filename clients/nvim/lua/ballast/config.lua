-- The plugin's settings: defaults, what `setup{…}` changes, and which program is the bridge.
local M = {}

M.defaults = {
  -- The bridge: a list (program and arguments) or a program's path. nil means `g:ballast_command`, else `$BALLAST`
  -- followed by `--stdio`, else `{"ballast", "--stdio"}`.
  cmd = nil,
  -- Where results go: "split" (below), "vsplit" (right) or "float".
  results = "split",
  -- Height of a "split" results window, width of a "vsplit" one (lines / columns); nil means
  -- 15 lines, or half the screen's columns.
  results_size = nil,
  -- Short (one-line) results also as virtual text at the end of the line that was sent.
  virtual_text = true,
  -- Progress of long commands through vim.notify: only once a command has run `progress_delay_ms`,
  -- then at most once per `progress_interval_ms`, ending with a "done" line (short commands show
  -- none). With Neovim's own vim.notify the bars go to the command line only, not :messages.
  notify_progress = true,
  progress_delay_ms = 2000,
  progress_interval_ms = 2000,
  -- Mappings in `.bal` buffers (false turns one off); `cancel` is the results buffer's.
  mappings = {
    send_line = "<localleader>l",
    send_selection = "<localleader>s",
    send_file = "<localleader>f",
    help = "K",
    cancel = "<C-c>",
  },
  -- How long a synchronous request (completion, :checkhealth) may wait for the bridge.
  sync_timeout_ms = 10000,
}

M.options = vim.deepcopy(M.defaults)

local function merge(base, changes)
  for key, value in pairs(changes) do
    -- Tables with names (mappings) merge key by key; lists (cmd) replace.
    if type(value) == "table" and type(base[key]) == "table" and value[1] == nil then
      merge(base[key], value)
    else
      base[key] = value
    end
  end
  return base
end

local RESULTS_KINDS = { split = true, vsplit = true, float = true }

--- Applies `changes` over the defaults. Unknown values are refused with a sentence.
function M.setup(changes)
  changes = changes or {}
  if changes.results ~= nil and not RESULTS_KINDS[changes.results] then
    error(string.format('ballast: results = %q is not one of "split", "vsplit", "float".', tostring(changes.results)), 0)
  end
  if changes.cmd ~= nil and type(changes.cmd) ~= "table" and type(changes.cmd) ~= "string" then
    error("ballast: cmd must be a list such as {\"ballast\", \"--stdio\"}.", 0)
  end
  M.options = merge(vim.deepcopy(M.defaults), changes)
  return M.options
end

-- A string names the program alone (`--stdio` is added); a list is used as it is.
local function as_list(value)
  if type(value) == "string" then
    return { value, "--stdio" }
  end
  return vim.deepcopy(value)
end

--- The bridge's command line, and where it came from (for messages and :checkhealth).
function M.command()
  if M.options.cmd ~= nil then
    return as_list(M.options.cmd), "setup{cmd}"
  end
  local global = vim.g.ballast_command
  if global ~= nil and global ~= "" then
    return as_list(global), "g:ballast_command"
  end
  local env = vim.env.BALLAST
  if env ~= nil and env ~= "" then
    return { env, "--stdio" }, "$BALLAST"
  end
  return { "ballast", "--stdio" }, "default"
end

return M
