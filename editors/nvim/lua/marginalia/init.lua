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
---@field server_path? string binary to run; default $MARGINALIA_BIN, else `marginalia` on PATH
---@field annotator? string your annotator name, sent to the server (init_options and settings)
---@field labels? string[] labels that :MarginaliaLabel completes (client side; the server's come from marginalia.toml)
---@field settings? table more server settings, sent verbatim under `marginalia`
---@field keymaps? boolean buffer-local labelling keymaps in articles (default true)
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
  vim.lsp.buf.code_action({
    apply = true,
    -- Neovim 0.11 passes the action only (not its client); the titles are
    -- marginalia's own wording.
    filter = function(action) return matches(action.title) end,
  })
end

function M.label(label) M.run_action(M.actions.label(label)) end
function M.link() M.run_action(M.actions.link) end
function M.accept() M.run_action(M.actions.accept) end
function M.reject() M.run_action(M.actions.reject) end
function M.remove() M.run_action(M.actions.remove) end
function M.attribute() M.run_action(M.actions.attribute) end
function M.add_to_knowledge_base() M.run_action(M.actions.add_to_kb) end

--- The binary `setup` will run.
function M.server_path()
  return options.server_path or vim.env.MARGINALIA_BIN or 'marginalia'
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

  local server = M.server_path()
  if vim.fn.executable(server) ~= 1 then
    vim.notify(
      ('marginalia: the language server `%s` was not found or is not executable. Install it with '
        .. '`cargo install --path .` in a marginalia checkout (it goes to ~/.cargo/bin, which must be on PATH), '
        .. 'or pass `server_path` to require("marginalia").setup{} (or set $MARGINALIA_BIN). '
        .. 'Run :checkhealth marginalia to check again.'):format(server),
      vim.log.levels.ERROR
    )
    return
  end

  -- The server reads `annotator` from init_options at start and from the
  -- `marginalia` settings section, which Neovim sends after initialization.
  local settings = vim.tbl_deep_extend('force', {}, options.settings or {}, { annotator = options.annotator })
  vim.lsp.config('marginalia', {
    cmd = { server, 'lsp' },
    settings = { marginalia = settings },
    init_options = settings,
  })
  vim.lsp.enable('marginalia')
  create_commands()

  if options.keymaps ~= false then
    vim.api.nvim_create_autocmd('LspAttach', {
      group = vim.api.nvim_create_augroup('marginalia.keymaps', { clear = true }),
      callback = function(event)
        local client = vim.lsp.get_client_by_id(event.data.client_id)
        if client and client.name == 'marginalia' and vim.bo[event.buf].filetype == 'newsarticle' then
          set_keymaps(event.buf)
        end
      end,
    })
  end
end

return M
