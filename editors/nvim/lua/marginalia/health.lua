-- `:checkhealth marginalia`: Neovim version, the server binary, and whether the
-- current buffer is an article with the server attached.
local M = {}

function M.check()
  vim.health.start('marginalia')
  if vim.fn.has('nvim-0.11') == 1 then
    vim.health.ok('Neovim ' .. tostring(vim.version()))
  else
    vim.health.error('Neovim 0.11 or newer is needed (vim.lsp.config / vim.lsp.enable)')
  end

  local server = require('marginalia').server_path()
  local path = vim.fn.exepath(server)
  if path == '' then
    vim.health.error(('`%s` not found'):format(server), {
      'Install it: `cargo install --path .` in a marginalia checkout (to ~/.cargo/bin)',
      'or set it: require("marginalia").setup({ server_path = "/path/to/marginalia" }) or $MARGINALIA_BIN',
    })
  else
    local version = vim.system({ path, '--version' }, { text = true }):wait()
    vim.health.ok(('server: %s (%s)'):format(path, vim.trim(version.stdout or '')))
  end

  local clients = vim.lsp.get_clients({ name = 'marginalia' })
  if #clients == 0 then
    vim.health.info('no marginalia client running (open an article to start it)')
  end
  for _, client in ipairs(clients) do
    vim.health.ok(('client %d, root %s'):format(client.id, client.root_dir or '(none)'))
  end
end

return M
