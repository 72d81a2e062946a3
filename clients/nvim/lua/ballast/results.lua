-- The results buffer `ballast://results`: a transcript of the commands sent and what they printed,
-- shown in a split or a float. Each command gets an entry (a header and a status line that
-- progress updates in place) that its reply replaces with the outputs' text.
local config = require("ballast.config")

local M = {}

M.NAME = "ballast://results"
local namespace = vim.api.nvim_create_namespace("ballast_results")
local MIN_WIDTH, MAX_WIDTH = 20, 400

local function find_buffer()
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_valid(buf) and vim.api.nvim_buf_get_name(buf) == M.NAME then
      return buf
    end
  end
  return nil
end

--- The results buffer, created on first use.
function M.buffer()
  local buf = find_buffer()
  if buf then
    return buf
  end
  buf = vim.api.nvim_create_buf(false, true)
  vim.api.nvim_buf_set_name(buf, M.NAME)
  vim.bo[buf].buftype = "nofile"
  vim.bo[buf].bufhidden = "hide"
  vim.bo[buf].swapfile = false
  vim.bo[buf].modifiable = false
  vim.bo[buf].filetype = "ballastresults"
  local cancel = config.options.mappings.cancel
  if cancel then
    vim.api.nvim_buf_set_keymap(buf, "n", cancel, "<Cmd>BallastCancel<CR>", { noremap = true, silent = true, desc = "Cancel the running Ballast command" })
  end
  vim.api.nvim_buf_set_keymap(buf, "n", "q", "<Cmd>close<CR>", { noremap = true, silent = true, desc = "Close the Ballast results" })
  return buf
end

--- The window showing the results buffer in this tab page, or nil.
function M.window()
  local buf = find_buffer()
  if not buf then
    return nil
  end
  for _, win in ipairs(vim.api.nvim_tabpage_list_wins(0)) do
    if vim.api.nvim_win_get_buf(win) == buf then
      return win
    end
  end
  return nil
end

local function open_float(buf)
  local columns, lines = vim.o.columns, vim.o.lines
  local width = math.max(MIN_WIDTH, math.floor(columns * 0.8))
  local height = math.max(5, math.floor(lines * 0.6))
  return vim.api.nvim_open_win(buf, false, {
    relative = "editor",
    width = math.min(width, columns),
    height = math.min(height, lines - 2),
    row = math.floor((lines - height) / 2) - 1,
    col = math.floor((columns - width) / 2),
    style = "minimal",
    border = "rounded",
  })
end

local function open_split(buf)
  local current = vim.api.nvim_get_current_win()
  local vertical = config.options.results == "vsplit"
  local size = config.options.results_size or (vertical and math.floor(vim.o.columns / 2) or 15)
  if vertical then
    vim.cmd("botright " .. size .. "vsplit")
  else
    vim.cmd("botright " .. size .. "split")
  end
  local win = vim.api.nvim_get_current_win()
  vim.api.nvim_win_set_buf(win, buf)
  vim.wo[win].number = false
  vim.wo[win].relativenumber = false
  vim.wo[win].wrap = false
  vim.wo[win].winfixheight = not vertical
  vim.wo[win].winfixwidth = vertical
  vim.api.nvim_set_current_win(current)
  return win
end

--- Shows the results (without moving the cursor there) and returns the window.
function M.show()
  local win = M.window()
  if win then
    return win
  end
  local buf = M.buffer()
  if config.options.results == "float" then
    return open_float(buf)
  end
  return open_split(buf)
end

--- Opens the results and moves there, or closes them when the cursor is already there.
function M.toggle()
  local win = M.window()
  if win and win == vim.api.nvim_get_current_win() then
    vim.api.nvim_win_close(win, false)
    return
  end
  vim.api.nvim_set_current_win(win or M.show())
end

--- The text width the renderings should fit: the results window's (20…400).
function M.width()
  local win = M.show()
  local width = vim.api.nvim_win_get_width(win)
  local info = vim.fn.getwininfo(win)[1]
  if info and info.textoff then
    width = width - info.textoff
  end
  return math.max(MIN_WIDTH, math.min(MAX_WIDTH, width - 1))
end

local function edit(buf, fn)
  vim.bo[buf].modifiable = true
  local ok, problem = pcall(fn)
  vim.bo[buf].modifiable = false
  if not ok then
    error(problem, 0)
  end
end

local function follow(buf)
  -- Keep the end in view, unless the user is reading in the results window.
  local win = M.window()
  if win and win ~= vim.api.nvim_get_current_win() then
    vim.api.nvim_win_set_cursor(win, { vim.api.nvim_buf_line_count(buf), 0 })
  end
end

--- Whether a line of code holds a statement (not blank, not a comment).
local function is_statement(line)
  return line:match("%S") ~= nil and line:match("^%s*#") == nil
end

--- The 1-based number of the first line after `after` in `code_lines` that holds a statement, or nil.
function M.next_statement(code_lines, after)
  for number = (after or 0) + 1, #code_lines do
    if is_statement(code_lines[number]) then
      return number
    end
  end
  return nil
end

-- The code's first statement line, and how many statement lines follow (a comment heads nothing).
local function first_line(code_lines)
  local first = M.next_statement(code_lines, 0)
  if not first then
    return vim.trim(code_lines[1] or "")
  end
  local rest = 0
  for number = first + 1, #code_lines do
    if is_statement(code_lines[number]) then
      rest = rest + 1
    end
  end
  local line = vim.trim(code_lines[first])
  if rest > 0 then
    line = string.format("%s  (+%d more line%s)", line, rest, rest == 1 and "" or "s")
  end
  return line
end

-- The entries in buffer order; each is {buf, size, header, highlights}: the buffer holds nothing
-- else, so an entry starts where the ones before it end.
local entries = {}

local function start_row(entry)
  local row = 0
  for _, other in ipairs(entries) do
    if other == entry then
      return row
    end
    row = row + other.size
  end
  return nil
end

local function replace(entry, lines, highlights)
  local buf = entry.buf
  local row = start_row(entry)
  if row == nil or not vim.api.nvim_buf_is_valid(buf) then
    return
  end
  edit(buf, function()
    vim.api.nvim_buf_set_lines(buf, row, row + entry.size, false, lines)
  end)
  vim.api.nvim_buf_clear_namespace(buf, entry.highlights, row, row + #lines)
  for _, highlight in ipairs(highlights or {}) do
    local line = row + highlight[1]
    vim.api.nvim_buf_set_extmark(buf, entry.highlights, line, 0, { end_row = line + 1, end_col = 0, hl_group = highlight[2] })
  end
  entry.size = #lines
  follow(buf)
end

local function split_lines(text)
  local lines = vim.split((text or ""):gsub("\n+$", ""), "\n", { plain = true })
  return lines
end

-- An output's lines under its statement's own line (a second statement of that line, after `;`,
-- under its command's name).
local function output_lines(entry, output, previous_line, lines, highlights)
  local code_line = entry.code_lines[output.line]
  local header = code_line and vim.trim(code_line) or tostring(output.command)
  if output.line == previous_line then
    header = "⋯ " .. tostring(output.command)
  end
  table.insert(highlights, { #lines, "Title" })
  table.insert(lines, "» " .. header)
  local failed = type(output.error) == "table"
  local highlight = (failed and output.error.code == -32800) and "WarningMsg" or "ErrorMsg"
  for _, text in ipairs(split_lines(output.text)) do
    if failed then
      -- An error or a cancel reads `error: …` at column 0: indented like the tables around it.
      table.insert(highlights, { #lines, highlight })
      text = text ~= "" and ("  " .. text) or text
    end
    table.insert(lines, text)
  end
  table.insert(lines, "") -- a blank line between one statement's output and the next
end

-- Draws the entry: the outputs that have come (in their order), then, while the code runs, the
-- line of the statement running and its status (progress, "… running", "cancelling…").
local function render(entry)
  local lines, highlights = {}, {}
  local previous_line = nil
  local count = 0
  for index = 1, table.maxn(entry.outputs) do
    local output = entry.outputs[index]
    if output then
      output_lines(entry, output, previous_line, lines, highlights)
      previous_line = output.line
      count = count + 1
    end
  end
  if entry.running then
    local running = entry.running
    local code_line = running.line and entry.code_lines[running.line]
    table.insert(highlights, { #lines, "Title" })
    table.insert(lines, code_line and ("» " .. vim.trim(code_line)) or entry.header)
    table.insert(highlights, { #lines, "Comment" })
    table.insert(lines, "  " .. running.text)
  else
    if count == 0 then
      table.insert(highlights, { #lines, "Title" })
      table.insert(lines, entry.header)
    end
    if entry.status == "cancelled" and count == 0 then
      -- (A command cancelled while it ran says so in its own text, as at the REPL.)
      table.insert(highlights, { #lines, "WarningMsg" })
      table.insert(lines, "  cancelled before it started")
    end
    if count == 0 then
      table.insert(lines, "")
    end
  end
  replace(entry, lines, highlights)
end

--- Adds an entry for `code` (the first statement's line and a status line) at the end; returns it.
function M.begin(code)
  local buf = M.buffer()
  M.show()
  if #entries > 0 and entries[1].buf ~= buf then
    entries = {} -- the buffer was wiped out: a new transcript
  end
  local size = 0
  if #entries == 0 then
    edit(buf, function()
      vim.api.nvim_buf_set_lines(buf, 0, -1, false, {})
    end)
    size = 1 -- an empty buffer still has one (empty) line: the first entry takes its place
  end
  local code_lines = vim.split(code, "\n", { plain = true })
  local entry = {
    buf = buf,
    size = size,
    highlights = namespace,
    code_lines = code_lines,
    header = "» " .. first_line(code_lines),
    outputs = {}, -- 0-based output index + 1 → OUTPUT, as they come
    running = { line = M.next_statement(code_lines, 0), text = "… running" },
  }
  table.insert(entries, entry)
  render(entry)
  return entry
end

--- Replaces the entry's status line (progress, "cancelling…").
function M.status(entry, text)
  if entry.running then
    entry.running.text = text
    render(entry)
  end
end

--- Progress of the statement at `line` of the code: its line heads the status line.
function M.progress(entry, line, text)
  if entry.running then
    if type(line) == "number" then
      entry.running.line = line
    end
    entry.running.text = text
    render(entry)
  end
end

--- One OUTPUT as soon as its statement has run (`index` 0-based, as the partial result says it);
--- the next statement's line heads the status line until it reports.
function M.output(entry, index, output)
  if type(output) ~= "table" or entry.outputs[index + 1] then
    return
  end
  entry.outputs[index + 1] = output
  if entry.running then
    entry.running.line = M.next_statement(entry.code_lines, output.line)
    entry.running.text = "… running"
  end
  render(entry)
end

--- The reply: the outputs not shown yet (`outputs` of a repl/execute result, {command, line,
--- text, error, …}) and its `status`; the entry stops running.
function M.finish(entry, outputs, status)
  for index, output in ipairs(outputs) do
    if not entry.outputs[index] then
      entry.outputs[index] = output
    end
  end
  entry.running = nil
  entry.status = status
  render(entry)
end

--- Replaces the entry with an error the request itself got (bad params, bridge gone).
function M.fail(entry, err)
  local lines = { entry.header }
  for _, text in ipairs(split_lines(string.format("error: %s (code %s)", err.message or "?", tostring(err.code)))) do
    table.insert(lines, "  " .. text)
  end
  table.insert(lines, "")
  local highlights = { { 0, "Title" } }
  for row = 1, #lines - 2 do
    table.insert(highlights, { row, "ErrorMsg" })
  end
  replace(entry, lines, highlights)
end

--- Empties the results buffer.
function M.clear()
  local buf = find_buffer()
  if buf then
    -- Entries still waiting lose their place (their replies are not shown).
    entries = {}
    vim.api.nvim_buf_clear_namespace(buf, namespace, 0, -1)
    edit(buf, function()
      vim.api.nvim_buf_set_lines(buf, 0, -1, false, {})
    end)
  end
end

return M
