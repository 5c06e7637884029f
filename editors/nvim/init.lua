-- A minimal init.lua for annotating with marginalia in Neovim 0.11+.
--
-- Try it from a marginalia checkout without touching your own config:
--   nvim -u editors/nvim/init.lua corpus/articles/000_650f7ada08eebc05.txt
-- or copy the lines below into your init.lua (with the plugin's path, or install
-- editors/nvim with your plugin manager instead of the runtimepath line).

-- This file's folder is the plugin (editors/nvim): put it on the runtimepath.
local plugin_dir = vim.fs.dirname(debug.getinfo(1, 'S').source:sub(2))
vim.opt.runtimepath:prepend(plugin_dir)

vim.g.maplocalleader = '\\' -- labelling keys: \p PERSON, \o ORG, \l PLACE, \a AGREEMENT, ...

require('marginalia').setup({
  -- server_path = '/path/to/marginalia', -- default: $MARGINALIA_BIN, <plugin>/bin, PATH, ~/.cargo/bin
  -- Your name on the annotations you write, e.g. 'alice' (here taken from
  -- `let g:marginalia_annotator = ...`). A name in the corpus's marginalia.toml wins
  -- over it; with neither, the server uses $MARGINALIA_ANNOTATOR, then $USER.
  annotator = vim.g.marginalia_annotator,
  -- labels = { 'PERSON', 'ORG', 'PLACE', 'AGREEMENT' }, -- what :MarginaliaLabel completes
})

-- Show diagnostics inline, frame hover cards, and colour entities with the
-- server's semantic tokens.
vim.diagnostic.config({ virtual_text = true, severity_sort = true })
vim.o.winborder = 'rounded'
vim.opt.termguicolors = true
