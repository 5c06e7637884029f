-- Loaded at startup: filetype detection for corpus articles and default colours
-- for the server's semantic tokens. Starting the server is up to the user
-- (`require('marginalia').setup()` or `vim.lsp.enable('marginalia')`).
--
-- Filetype `newsarticle`: a `*.txt` file with a `marginalia.toml` in its folder or
-- any folder above (the same rule the server uses to find a corpus), plus any
-- Lua pattern listed in `vim.g.marginalia_article_patterns` (full paths, e.g.
-- `'.*/articles/.*%.txt'`). Everything else keeps Neovim's usual filetype.
if vim.g.loaded_marginalia then
  return
end
vim.g.loaded_marginalia = true

local function detect_article(path)
  if vim.fs.root(path, 'marginalia.toml') then
    return 'newsarticle'
  end
  for _, pattern in ipairs(vim.g.marginalia_article_patterns or {}) do
    if path:match('^' .. pattern .. '$') then
      return 'newsarticle'
    end
  end
end

vim.filetype.add({
  -- Higher priority than Neovim's own `*.txt` → text; returning nil falls through.
  pattern = { ['.*%.txt'] = { detect_article, { priority = 10 } } },
})

-- Token types of the server's legend, per kind of thing, go to Marginalia* groups,
-- which link to standard groups (so every colour scheme colours them). All are
-- `default`: a colour scheme or your config can override them, e.g.
--   vim.api.nvim_set_hl(0, 'MarginaliaPlace', { fg = 'Orange' })
local groups = {
  { token = 'class', group = 'MarginaliaPerson', link = 'Identifier' },
  { token = 'namespace', group = 'MarginaliaOrganization', link = 'Function' },
  { token = 'enumMember', group = 'MarginaliaPlace', link = 'Constant' },
  { token = 'interface', group = 'MarginaliaAgreement', link = 'Statement' },
  { token = 'string', group = 'MarginaliaQuote', link = 'String' },
}
local function set_highlights()
  for _, g in ipairs(groups) do
    vim.api.nvim_set_hl(0, g.group, { link = g.link, default = true })
    vim.api.nvim_set_hl(0, '@lsp.type.' .. g.token .. '.newsarticle', { link = g.group, default = true })
  end
end
set_highlights()
-- A colour scheme clears highlights when it loads: set the defaults again.
vim.api.nvim_create_autocmd('ColorScheme', {
  group = vim.api.nvim_create_augroup('marginalia.highlights', { clear = true }),
  callback = set_highlights,
})

-- Annotation sidecars (NAME.ann.jsonl) hold one annotation per line and nothing
-- else. When a code action creates one, Neovim applies the server's "insert these
-- lines" edit to an empty buffer whose single empty line then survives as a
-- blank last line; drop trailing blank lines before writing.
vim.api.nvim_create_autocmd('BufWritePre', {
  group = vim.api.nvim_create_augroup('marginalia.sidecars', { clear = true }),
  pattern = '*.ann.jsonl',
  callback = function(event)
    local count = vim.api.nvim_buf_line_count(event.buf)
    local last = count
    while last > 1 and vim.api.nvim_buf_get_lines(event.buf, last - 1, last, false)[1] == '' do
      last = last - 1
    end
    if last < count then
      vim.api.nvim_buf_set_lines(event.buf, last, count, false, {})
    end
  end,
})

-- :MarginaliaInstall [checkout]: builds the server with cargo into this plugin's
-- bin/ folder. Defined here, not in setup(), because it is what you run when
-- setup() found no server.
vim.api.nvim_create_user_command('MarginaliaInstall', function(cmd) require('marginalia').install(cmd.args) end, {
  nargs = '?',
  complete = 'dir',
  desc = 'marginalia: build the language server into the plugin folder (cargo install --root)',
})
