-- The user commands. Everything else loads on first use (`require("ballast")`).
if vim.g.loaded_ballast then
  return
end
vim.g.loaded_ballast = true

vim.api.nvim_create_user_command("Ballast", function(command)
  local ballast = require("ballast")
  if command.args == "" and command.range > 0 then
    ballast.send_lines(0, command.line1, command.line2)
  else
    ballast.run(command.args)
  end
end, {
  nargs = "*",
  range = true,
  complete = function(arg_lead, command_line, cursor_position)
    return require("ballast.completion").command_line(arg_lead, command_line, cursor_position)
  end,
  desc = "Run a Ballast command (`:Ballast train cards.train as m`); with a range and no command, run those lines",
})

vim.api.nvim_create_user_command("BallastCancel", function()
  require("ballast").cancel()
end, { desc = "Cancel the running Ballast command" })

vim.api.nvim_create_user_command("BallastResults", function()
  require("ballast").toggle_results()
end, { desc = "Go to the Ballast results (or close them from inside)" })

vim.api.nvim_create_user_command("BallastClear", function()
  require("ballast.results").clear()
end, { desc = "Empty the Ballast results buffer" })

vim.api.nvim_create_user_command("BallastStop", function()
  require("ballast").stop()
end, { desc = "End the ballast bridge process (the daemon keeps running)" })
