-- Short results as virtual text at the end of the line that was sent: a one-line output, the
-- first line of an error, and the progress of a command while it runs.
local config = require("ballast.config")

local M = {}

local namespace = vim.api.nvim_create_namespace("ballast_inline")

-- A sent range: {buf, first = 0-based row of the code's line 1, last = 0-based row of its end}.
function M.range(buf, first, last)
  return { buf = buf, first = first, last = last, progress_rows = {} }
end

local function put(range, line, text, highlight, transient)
  if not config.options.virtual_text or not vim.api.nvim_buf_is_valid(range.buf) then
    return
  end
  local row = range.first + (line or 1) - 1
  if row < 0 or row >= vim.api.nvim_buf_line_count(range.buf) then
    return
  end
  vim.api.nvim_buf_clear_namespace(range.buf, namespace, row, row + 1)
  vim.api.nvim_buf_set_extmark(range.buf, namespace, row, 0, {
    virt_text = { { "  " .. text, highlight } },
    virt_text_pos = "eol",
  })
  -- A progress or "running" mark is transient: the statement's result replaces it.
  range.progress_rows[row] = transient or nil
end

local function clear_progress(range, line)
  local row = range.first + (line or 1) - 1
  if range.progress_rows[row] and vim.api.nvim_buf_is_valid(range.buf) then
    vim.api.nvim_buf_clear_namespace(range.buf, namespace, row, row + 1)
    range.progress_rows[row] = nil
  end
end

-- What shows for one output on its line: an error's first line, or a one-line result.
local function show_output(range, output)
  local text = (output.text or ""):gsub("\n+$", "")
  if type(output.error) == "table" then
    put(range, output.line, text:match("^[^\n]*"), output.error.code == -32800 and "WarningMsg" or "ErrorMsg")
  elseif text:match("%S") and not text:find("\n") then
    put(range, output.line, "⇒ " .. vim.trim(text), "Comment")
  end
end

--- Clears the range's virtual text and marks the line of its first statement (`line`) as running.
function M.running(range, line)
  if not vim.api.nvim_buf_is_valid(range.buf) then
    return
  end
  vim.api.nvim_buf_clear_namespace(range.buf, namespace, range.first, range.last + 1)
  range.progress_rows = {}
  put(range, line or 1, "… running", "Comment", true)
end

--- A progress line for the statement at `line` of the sent code.
function M.progress(range, line, text)
  put(range, line, text, "Comment", true)
end

--- One output as soon as its statement has run: its progress line goes, its short result shows;
--- `next_line` (the next statement's line, or nil) is marked as running.
function M.output(range, output, next_line)
  if type(output) ~= "table" or not vim.api.nvim_buf_is_valid(range.buf) then
    return
  end
  clear_progress(range, output.line)
  show_output(range, output)
  if next_line and not range.progress_rows[range.first + next_line - 1] then
    put(range, next_line, "… running", "Comment", true)
  end
end

--- The reply: each output on its statement's line when it is short, errors always.
function M.finish(range, outputs, status)
  if not vim.api.nvim_buf_is_valid(range.buf) then
    return
  end
  vim.api.nvim_buf_clear_namespace(range.buf, namespace, range.first, range.last + 1)
  range.progress_rows = {}
  for _, output in ipairs(outputs) do
    show_output(range, output)
  end
  if #outputs == 0 and status == "cancelled" then
    put(range, 1, "cancelled before it started", "WarningMsg")
  end
end

--- An error the request itself got.
function M.fail(range, err)
  if vim.api.nvim_buf_is_valid(range.buf) then
    vim.api.nvim_buf_clear_namespace(range.buf, namespace, range.first, range.last + 1)
    put(range, 1, "error: " .. (err.message or "?"):match("^[^\n]*"), "ErrorMsg")
  end
end

M.namespace = namespace

return M
