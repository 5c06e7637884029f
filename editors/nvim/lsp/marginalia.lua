-- Base configuration of the `marginalia` language server for Neovim 0.11+.
-- Neovim merges this file (found on 'runtimepath' as lsp/marginalia.lua) into
-- `vim.lsp.config('marginalia', ...)`; `require('marginalia').setup()` or a plain
-- `vim.lsp.enable('marginalia')` starts it.
--
-- The server attaches to news articles (filetype `newsarticle`, see
-- plugin/marginalia.lua) anywhere, and to JSON, JSONL and TOML files only inside a
-- corpus (a folder tree with `marginalia.toml` at its root): the knowledge base,
-- the annotation sidecars (NAME.ann.jsonl) and the corpus configuration, which it
-- checks live.

---@type vim.lsp.Config
return {
  -- $MARGINALIA_BIN, the plugin's bin/, PATH, ~/.cargo/bin (see find_server).
  cmd = { require('marginalia').server_path(), 'lsp' },
  -- marginaliaProtocol, and annotationWrites = 'server': annotation actions come
  -- as the server command below rather than edits of a hidden sidecar buffer.
  init_options = require('marginalia').init_options(),
  commands = {
    ['marginalia.applyAnnotationOps'] = function(command, ctx) require('marginalia').apply_annotation_ops(command, ctx) end,
  },
  on_init = function(client, result) require('marginalia').check_protocol(client, result) end,
  filetypes = { 'newsarticle', 'json', 'jsonl', 'toml' },
  root_dir = function(bufnr, on_dir)
    local root = vim.fs.root(bufnr, 'marginalia.toml')
    if root then
      on_dir(root)
    elseif vim.bo[bufnr].filetype == 'newsarticle' then
      -- An article outside any corpus is still analysed, without a knowledge base.
      local name = vim.api.nvim_buf_get_name(bufnr)
      on_dir(name ~= '' and vim.fs.dirname(name) or vim.fn.getcwd())
    end
    -- JSON, JSONL and TOML outside a corpus: not ours, the server is not started for them.
  end,
  settings = { marginalia = {} },
}
