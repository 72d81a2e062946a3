-- `K` in `.bal` buffers: the REPL's help for the command (or option) under the cursor, from
-- `repl/inspect`, in a floating window that closes when the cursor moves.
local bridge = require("ballast.bridge")

local M = {}

--- Shows the help for what is under the cursor; says so when there is none.
function M.under_cursor()
  local line = vim.api.nvim_get_current_line()
  local column = vim.api.nvim_win_get_cursor(0)[2]
  -- The cursor's character counts as before it: on `train`'s last letter is still on `train`.
  local cursor = vim.fn.strchars(line:sub(1, column + 1))
  bridge.request("repl/inspect", { code = line, cursor = cursor, detail_level = 0 }, function(err, result)
    if err then
      vim.notify("ballast: " .. (err.message or "no help"), vim.log.levels.WARN, { title = "ballast" })
      return
    end
    if not result.found or result.text == "" then
      vim.notify("ballast: no help for what is under the cursor", vim.log.levels.INFO, { title = "ballast" })
      return
    end
    local lines = vim.split(result.text:gsub("\n+$", ""), "\n", { plain = true })
    vim.lsp.util.open_floating_preview(lines, "", { border = "rounded", focus_id = "ballast-help" })
  end)
end

return M
