-- marginalia for Neovim 0.11+: `setup()` configures and enables the language
-- server (`vim.lsp.config` + `vim.lsp.enable`, on top of lsp/marginalia.lua),
-- passes the settings through, and adds the labelling commands and keymaps.
--
-- Labelling runs the server's own code actions, chosen by title: "Label as
-- PERSON", "Link to …", "Accept suggestion", "Add "…" to knowledge base as …".
-- Each command is exactly as capable as the server at the cursor: when the server
-- offers no such action there, Neovim says "No code actions available".
local M = {}

---@class marginalia.Options
---@field server_path? string binary to run; default $MARGINALIA_BIN, else <plugin>/bin/marginalia, else `marginalia` on PATH, else ~/.cargo/bin
---@field annotator? string your annotator name, sent to the server (init_options and settings)
---@field labels? string[] labels that :MarginaliaLabel completes (client side; the server's come from marginalia.toml)
---@field settings? table more server settings, sent verbatim under `marginalia`
---@field keymaps? boolean buffer-local labelling keymaps in articles (default true)
---@field inlay_hints? boolean show the server's inlay hints (the speaker after each attributed quote, `— Lavrov`) in articles (default true)
---@field article_patterns? string[] more Lua patterns of article paths (see plugin/marginalia.lua)

--- Default labels for `:MarginaliaLabel` completion when neither `labels` nor the
--- server says otherwise (the corpus default in marginalia.toml).
M.default_labels = { 'PERSON', 'ORG', 'PLACE', 'AGREEMENT' }

--- Title matchers for each annotation action, by command name.
M.actions = {
  link = function(title) return vim.startswith(title, 'Link to ') end,
  accept = function(title) return vim.startswith(title, 'Accept suggestion') end,
  reject = function(title) return vim.startswith(title, 'Reject suggestion') end,
  remove = function(title) return vim.startswith(title, 'Remove annotation') end,
  attribute = function(title) return vim.startswith(title, 'Attribute to ') end,
  add_to_kb = function(title) return vim.startswith(title, 'Add "') and title:find('to knowledge base', 1, true) ~= nil end,
}

function M.actions.label(label)
  return function(title) return title == 'Label as ' .. label or vim.startswith(title, 'Label as ' .. label .. ' ') end
end

local options = {}

--- Runs the marginalia code action at the cursor (or the visual selection) whose
--- title `matches`: directly if it is the only one, else through vim.ui.select.
---@param matches fun(title: string): boolean
function M.run_action(matches)
  local said = false
  vim.lsp.buf.code_action({
    apply = true,
    -- Neovim 0.11 passes the action only (not its client); the titles are
    -- marginalia's own wording. It would also apply a `disabled` action,
    -- which then silently does nothing (a malformed sidecar): those are left
    -- out, and the reason is said once.
    filter = function(action)
      if not matches(action.title) then
        return false
      end
      if action.disabled then
        if not said then
          said = true
          vim.schedule(function()
            vim.notify('marginalia: ' .. action.title .. ': ' .. action.disabled.reason, vim.log.levels.WARN)
          end)
        end
        return false
      end
      return true
    end,
  })
  -- After an action on a visual selection, back to normal mode, as after any
  -- other operator.
  if vim.fn.mode():find('^[vV\22]') then
    vim.api.nvim_feedkeys(vim.keycode('<Esc>'), 'nx', false)
  end
end

function M.label(label) M.run_action(M.actions.label(label)) end
function M.link() M.run_action(M.actions.link) end
function M.accept() M.run_action(M.actions.accept) end
function M.reject() M.run_action(M.actions.reject) end
function M.remove() M.run_action(M.actions.remove) end
function M.attribute() M.run_action(M.actions.attribute) end
function M.add_to_knowledge_base() M.run_action(M.actions.add_to_kb) end

--- Client side of the server command `marginalia.applyAnnotationOps`, which code
--- actions carry because the plugin asks for server writes (`annotationWrites =
--- 'server'` in init_options): the server writes the sidecar on disk, under its
--- lock and atomically, so each action is saved as it is made and no hidden
--- sidecar buffer gathers every action since opening into one undo step (issue
--- 17, friction 1). This forwards the command to the server, says where the work
--- went, and reloads a sidecar buffer the user has loaded and not modified (one
--- undo step there per action).
---@param command lsp.Command
---@param ctx table
function M.apply_annotation_ops(command, ctx)
  local client = vim.lsp.get_client_by_id(ctx.client_id)
  if client == nil then
    return
  end
  local params = { command = command.command, arguments = command.arguments }
  client:request('workspace/executeCommand', params, function(err, result)
    if err then
      -- The server also shows its reason (window/showMessage); say which action failed.
      vim.notify(('marginalia: %s: not saved: %s'):format(command.title or command.command, err.message), vim.log.levels.ERROR)
      return
    end
    local sidecar = result and result.sidecar
    if type(sidecar) ~= 'string' then
      return
    end
    local buf = vim.fn.bufnr(sidecar)
    if buf ~= -1 and vim.api.nvim_buf_is_loaded(buf) and not vim.bo[buf].modified then
      vim.api.nvim_buf_call(buf, function() vim.cmd('silent edit') end)
    end
    vim.notify(
      ('marginalia: %s: saved to %s (%d annotation%s)'):format(
        command.title or 'annotation', vim.fs.basename(sidecar), result.annotations or 0, result.annotations == 1 and '' or 's'),
      vim.log.levels.INFO
    )
  end, ctx.bufnr)
end

--- What the plugin sends as init_options besides the user's settings.
function M.init_options()
  return { marginaliaProtocol = M.protocol, annotationWrites = 'server' }
end

--- The protocol between this plugin and the server: sent as
--- `initializationOptions.marginaliaProtocol` and compared with the server's
--- `capabilities.experimental.marginaliaProtocol`. Bump it together with
--- `PROTOCOL_VERSION` in src/lsp/server.rs when either side starts relying on
--- something the other may lack (a command, a code-action title, a setting).
M.protocol = 1

-- This file is <plugin>/lua/marginalia/init.lua.
M.plugin_root = vim.fs.dirname(vim.fs.dirname(vim.fs.dirname(debug.getinfo(1, 'S').source:sub(2))))

local exe = vim.fn.has('win32') == 1 and 'marginalia.exe' or 'marginalia'

--- Where the server binary comes from, in order: `server_path`, $MARGINALIA_BIN
--- (both explicit, so they win), the plugin's own `bin/` (what a release folder
--- ships and :MarginaliaInstall writes), `marginalia` on PATH, ~/.cargo/bin (the
--- `cargo install` default, often missing from a GUI's PATH).
---@return { path: string?, source: string?, searched: string[] }
function M.find_server()
  local searched = {}
  local function try(path, source)
    if path == nil or path == '' then
      return nil
    end
    local found = vim.fn.exepath(vim.fn.expand(path))
    table.insert(searched, path)
    if found ~= '' then
      return { path = found, source = source, searched = searched }
    end
  end
  if options.server_path then
    -- An explicit setting that does not work is an error, not a reason to run another binary.
    return try(options.server_path, 'server_path') or { searched = searched, source = 'server_path' }
  end
  return try(vim.env.MARGINALIA_BIN, '$MARGINALIA_BIN')
    or try(vim.fs.joinpath(M.plugin_root, 'bin', exe), 'the plugin folder')
    or try('marginalia', 'PATH')
    or try(vim.fs.joinpath(vim.uv.os_homedir() or '~', '.cargo', 'bin', exe), '~/.cargo/bin')
    or { searched = searched }
end

--- The binary `setup` will run (the first thing searched when none is found, for messages).
function M.server_path()
  local found = M.find_server()
  return found.path or found.searched[1] or 'marginalia'
end

--- `on_init`: warns when the server speaks another protocol than this plugin.
function M.check_protocol(client, result)
  local experimental = ((result or {}).capabilities or {}).experimental or {}
  local theirs = experimental.marginaliaProtocol
  if theirs ~= M.protocol then
    local version = ((result or {}).serverInfo or {}).version or '?'
    vim.notify(
      ('marginalia: the server %s (version %s) speaks protocol %s, this plugin protocol %d; '
        .. 'some commands may not work. Update both from the same release (or run :MarginaliaInstall).'):format(
        client.config.cmd and client.config.cmd[1] or '', version, tostring(theirs or 'none'), M.protocol),
      vim.log.levels.WARN
    )
  end
end

--- Builds the server with cargo into `<plugin>/bin` (`cargo install --root <plugin>`).
--- `repo` is a marginalia checkout; default: the checkout this plugin sits in
--- (editors/nvim), when it does.
---@param repo? string
function M.install(repo)
  repo = (repo and repo ~= '') and vim.fn.fnamemodify(vim.fn.expand(repo), ':p') or vim.fs.dirname(vim.fs.dirname(M.plugin_root))
  if vim.fn.filereadable(vim.fs.joinpath(repo, 'Cargo.toml')) ~= 1 then
    vim.notify(('marginalia: %s is not a marginalia checkout; run :MarginaliaInstall /path/to/marginalia'):format(repo), vim.log.levels.ERROR)
    return
  end
  if vim.fn.executable('cargo') ~= 1 then
    vim.notify('marginalia: cargo is not on PATH; install Rust (https://rustup.rs) or use a release folder, which has the binary in bin/', vim.log.levels.ERROR)
    return
  end
  local cmd = { 'cargo', 'install', '--locked', '--path', repo, '--root', M.plugin_root }
  vim.notify(('marginalia: building the server (%s); this takes a few minutes'):format(table.concat(cmd, ' ')), vim.log.levels.INFO)
  local last = ''
  vim.system(cmd, {
    text = true,
    -- Progress: cargo's current line ("Compiling tokio v1 ...") in the message area.
    stderr = function(_, data)
      if data then
        local line = vim.trim(data:match('([^\n]*)\n?$') or data)
        if line ~= '' then
          last = line
          vim.schedule(function() vim.api.nvim_echo({ { 'marginalia: ' .. line } }, false, {}) end)
        end
      end
    end,
  }, function(done)
    vim.schedule(function()
      if done.code ~= 0 then
        vim.notify(('marginalia: cargo install failed (exit %d): %s'):format(done.code, last), vim.log.levels.ERROR)
        return
      end
      vim.notify(('marginalia: installed %s'):format(vim.fs.joinpath(M.plugin_root, 'bin', exe)), vim.log.levels.INFO)
      if M.setup_failed then
        M.setup(options)
      else
        -- The running client's command was fixed when it was configured.
        vim.notify('marginalia: restart Neovim to run the new server', vim.log.levels.INFO)
      end
    end)
  end)
end

local function set_keymaps(bufnr)
  local function map(lhs, rhs, desc)
    vim.keymap.set({ 'n', 'x' }, lhs, rhs, { buffer = bufnr, desc = 'marginalia: ' .. desc })
  end
  map('<LocalLeader>p', function() M.label('PERSON') end, 'label as PERSON')
  map('<LocalLeader>o', function() M.label('ORG') end, 'label as ORG')
  map('<LocalLeader>l', function() M.label('PLACE') end, 'label as PLACE')
  map('<LocalLeader>a', function() M.label('AGREEMENT') end, 'label as AGREEMENT')
  map('<LocalLeader>k', M.link, 'link to a knowledge-base entity')
  map('<LocalLeader>y', M.accept, 'accept suggestion')
  map('<LocalLeader>n', M.reject, 'reject suggestion')
  map('<LocalLeader>x', M.remove, 'remove annotation')
  map('<LocalLeader>q', M.attribute, 'attribute quote')
  map('<LocalLeader>b', M.add_to_knowledge_base, 'add name to knowledge base')
end

local function create_commands()
  vim.api.nvim_create_user_command('MarginaliaLabel', function(cmd) M.label(cmd.args) end, {
    nargs = 1,
    range = true,
    desc = 'marginalia: label the selection or the mention at the cursor',
    complete = function() return options.labels or M.default_labels end,
  })
  local simple = {
    MarginaliaLink = M.link,
    MarginaliaAccept = M.accept,
    MarginaliaReject = M.reject,
    MarginaliaRemove = M.remove,
    MarginaliaAttribute = M.attribute,
    MarginaliaAddToKnowledgeBase = M.add_to_knowledge_base,
  }
  for name, run in pairs(simple) do
    vim.api.nvim_create_user_command(name, function() run() end, { range = true, desc = 'marginalia: ' .. name })
  end
end

---@param opts? marginalia.Options
function M.setup(opts)
  options = vim.tbl_extend('force', {}, opts or {})
  if options.article_patterns then
    vim.g.marginalia_article_patterns = vim.list_extend(vim.g.marginalia_article_patterns or {}, options.article_patterns)
  end

  local found = M.find_server()
  if found.path == nil then
    M.setup_failed = true
    vim.notify(
      ('marginalia: the language server was not found or is not executable (looked at %s). Run '
        .. ':MarginaliaInstall to build it into the plugin folder (needs cargo), or install it with '
        .. '`cargo install --path .` in a marginalia checkout, or pass `server_path` to '
        .. 'require("marginalia").setup{} (or set $MARGINALIA_BIN). '
        .. 'Run :checkhealth marginalia to check again.'):format(table.concat(found.searched, ', ')),
      vim.log.levels.ERROR
    )
    return
  end
  M.setup_failed = false
  local server = found.path

  -- The server reads `annotator` from init_options at start and from the
  -- `marginalia` settings section, which Neovim sends after initialization.
  local settings = vim.tbl_deep_extend('force', {}, options.settings or {}, { annotator = options.annotator })
  vim.lsp.config('marginalia', {
    cmd = { server, 'lsp' },
    settings = { marginalia = settings },
    init_options = vim.tbl_extend('force', {}, settings, M.init_options()),
  })
  vim.lsp.enable('marginalia')
  create_commands()

  vim.api.nvim_create_autocmd('LspAttach', {
    group = vim.api.nvim_create_augroup('marginalia.attach', { clear = true }),
    callback = function(event)
      local client = vim.lsp.get_client_by_id(event.data.client_id)
      if not (client and client.name == 'marginalia' and vim.bo[event.buf].filetype == 'newsarticle') then
        return
      end
      if options.keymaps ~= false then
        set_keymaps(event.buf)
      end
      -- Inlay hints are off in Neovim unless enabled; the speaker hints are
      -- part of reading an article, so the plugin turns them on for articles
      -- (`inlay_hints = false` leaves them off).
      if options.inlay_hints ~= false and client:supports_method('textDocument/inlayHint') then
        vim.lsp.inlay_hint.enable(true, { bufnr = event.buf })
      end
    end,
  })
end

return M
