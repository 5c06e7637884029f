-- `:checkhealth marginalia`: Neovim version, which server binary is used (and
-- where it was found) with its `--version`, and whether the
-- current buffer is an article with the server attached.
local M = {}

function M.check()
  vim.health.start('marginalia')
  if vim.fn.has('nvim-0.11') == 1 then
    vim.health.ok('Neovim ' .. tostring(vim.version()))
  else
    vim.health.error('Neovim 0.11 or newer is needed (vim.lsp.config / vim.lsp.enable)')
  end

  local marginalia = require('marginalia')
  local found = marginalia.find_server()
  if found.path == nil then
    vim.health.error(('no server binary; looked at: %s'):format(table.concat(found.searched, ', ')), {
      'Run :MarginaliaInstall (builds it into ' .. vim.fs.joinpath(marginalia.plugin_root, 'bin') .. ', needs cargo)',
      'or use a release folder (scripts/release.sh), which ships the binary in bin/',
      'or set it: require("marginalia").setup({ server_path = "/path/to/marginalia" }) or $MARGINALIA_BIN',
    })
  else
    local version = vim.system({ found.path, '--version' }, { text = true }):wait()
    if version.code == 0 then
      vim.health.ok(('server: %s, from %s (%s)'):format(found.path, found.source, vim.trim(version.stdout or '')))
    else
      vim.health.error(('server: %s, from %s, fails to run `--version` (exit %d): %s'):format(
        found.path, found.source, version.code, vim.trim(version.stderr or '')))
    end
  end
  vim.health.info(('plugin protocol %d (the server reports its own at start; a mismatch is warned about)'):format(marginalia.protocol))

  local clients = vim.lsp.get_clients({ name = 'marginalia' })
  if #clients == 0 then
    vim.health.info('no marginalia client running (open an article to start it)')
  end
  for _, client in ipairs(clients) do
    vim.health.ok(('client %d, root %s'):format(client.id, client.root_dir or '(none)'))
  end
end

return M
