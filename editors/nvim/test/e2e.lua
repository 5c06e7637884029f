-- End-to-end steps in real headless Neovim, run by tests/it/nvim_e2e.rs after
-- editors/nvim/init.lua has set the plugin up. The corpus is a temporary copy
-- ($MARGINALIA_E2E_CORPUS) holding the bundled corpus plus an article with an
-- unknown name; $MARGINALIA_E2E_SEED is seed article 000 and $MARGINALIA_E2E_UNKNOWN
-- that article, both relative to the corpus.
--
-- Each step acts as a user would (open a file, K-style hover, go to definition,
-- choose a code action, label with the plugin's commands and keymaps, undo) and
-- checks what the editor shows and what reached the disk. The outcome of
-- every step goes to $MARGINALIA_E2E_RESULTS as JSON:
--   { "steps": [ { "name": ..., "ok": true|false, "detail": ... }, ... ] }
-- The first failing step ends the run; Neovim then quits.

local corpus = assert(vim.env.MARGINALIA_E2E_CORPUS, 'MARGINALIA_E2E_CORPUS is not set')
local results_path = assert(vim.env.MARGINALIA_E2E_RESULTS, 'MARGINALIA_E2E_RESULTS is not set')
local unknown_article = corpus .. '/' .. assert(vim.env.MARGINALIA_E2E_UNKNOWN, 'MARGINALIA_E2E_UNKNOWN is not set')
local seed_article = corpus .. '/' .. assert(vim.env.MARGINALIA_E2E_SEED, 'MARGINALIA_E2E_SEED is not set')
local timeout_ms = tonumber(vim.env.MARGINALIA_E2E_TIMEOUT_MS or '') or 30000

local results = { steps = {} }
local seed_sidecar = seed_article:gsub('%.txt$', '.ann.jsonl')

-- Menus (vim.ui.select) cannot be answered in headless Neovim: every menu is
-- answered by `choose`, which each step sets, and recorded in `menus`.
local menus = {}
local choose = function(_) return nil end
vim.ui.select = function(items, opts, on_choice)
  local titles = {}
  for _, item in ipairs(items) do
    table.insert(titles, opts.format_item and opts.format_item(item) or tostring(item))
  end
  table.insert(menus, titles)
  for index, item in ipairs(items) do
    if choose(item.action and item.action.title or titles[index]) then
      return on_choice(item, index)
    end
  end
  on_choice(nil, nil)
end

local function write_results()
  local file = assert(io.open(results_path, 'w'))
  file:write(vim.json.encode(results))
  file:close()
end

--- Waits until `condition()` is truthy, or fails the step with `what`.
local function wait_for(what, condition)
  local ok = vim.wait(timeout_ms, function()
    local good, value = pcall(condition)
    return good and value
  end, 20)
  if not ok then
    error(('timed out after %d ms waiting for %s'):format(timeout_ms, what), 0)
  end
end

local function check(condition, message)
  if not condition then
    error(message, 0)
  end
end

--- Puts the cursor on the first occurrence of `needle` (plus `inside` columns).
local function cursor_on(needle, inside)
  local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  for lnum, line in ipairs(lines) do
    local col = line:find(needle, 1, true)
    if col then
      vim.api.nvim_win_set_cursor(0, { lnum, col - 1 + (inside or 0) })
      return
    end
  end
  error(('"%s" is not in %s'):format(needle, vim.api.nvim_buf_get_name(0)), 0)
end

local function marginalia_client(bufnr)
  return vim.lsp.get_clients({ bufnr = bufnr, name = 'marginalia' })[1]
end

local function diagnostics_with(bufnr, code)
  return vim.tbl_filter(function(d) return d.code == code end, vim.diagnostic.get(bufnr))
end

--- The annotations in the seed article's sidecar on disk, one table per line.
local function sidecar_on_disk()
  local annotations = {}
  if vim.uv.fs_stat(seed_sidecar) then
    for line in io.lines(seed_sidecar) do
      check(line ~= '', vim.fs.basename(seed_sidecar) .. ' has a blank line')
      table.insert(annotations, vim.json.decode(line))
    end
  end
  return annotations
end

local function find_annotation(exact, predicate)
  for _, a in ipairs(sidecar_on_disk()) do
    if a.exact == exact and (predicate == nil or predicate(a)) then
      return a
    end
  end
end

-- Every message the plugin gives, in order (the steps read the "saved to" ones).
local notified = {}
local real_notify = vim.notify
vim.notify = function(message, level, opts)
  table.insert(notified, message)
  return real_notify(message, level, opts)
end

local function read_file(path)
  local file = io.open(path, 'rb')
  if file == nil then
    return nil
  end
  local text = file:read('a')
  file:close()
  return text
end

--- Runs `act` (which applies a marginalia code action) and waits until the server
--- has written it to the sidecar on disk and the plugin has said so. Nothing is
--- saved by hand: the plugin asks the server to write each action (issue 17,
--- friction 1).
local function annotate_and_save(act)
  local before = read_file(seed_sidecar)
  local said = #notified
  local saved = 'saved to ' .. vim.fs.basename(seed_sidecar)
  act()
  wait_for('the action to be written to ' .. vim.fs.basename(seed_sidecar), function()
    return read_file(seed_sidecar) ~= before
      and vim.iter({ unpack(notified, said + 1) }):any(function(m) return m:find(saved, 1, true) ~= nil end)
  end)
end

--- The loaded buffer of the seed sidecar, attached to the server.
local function sidecar_buffer()
  local sidecar = vim.fn.bufadd(seed_sidecar)
  vim.fn.bufload(sidecar)
  wait_for('the server to attach to the sidecar buffer', function() return marginalia_client(sidecar) end)
  return sidecar
end

local function floating_windows()
  return vim.tbl_filter(function(win) return vim.api.nvim_win_get_config(win).relative ~= '' end, vim.api.nvim_list_wins())
end

local steps = {
  {
    'open seed article',
    function()
      vim.cmd.edit(vim.fn.fnameescape(seed_article))
      check(vim.bo.filetype == 'newsarticle', 'filetype is ' .. vim.bo.filetype .. ', expected newsarticle')
      wait_for('the marginalia client to attach', function() return marginalia_client(0) end)
      local client = marginalia_client(0)
      return {
        filetype = vim.bo.filetype,
        root_dir = client.root_dir,
        -- Which binary runs, and the protocol the server reported (checked by nvim_e2e.rs).
        cmd = client.config.cmd[1],
        protocol = ((client.server_capabilities or {}).experimental or {}).marginaliaProtocol or vim.NIL,
      }
    end,
  },
  {
    'diagnostics',
    function()
      wait_for('the unclosed-quote diagnostic', function() return #diagnostics_with(0, 'unclosed-quote') > 0 end)
      local unclosed = diagnostics_with(0, 'unclosed-quote')[1]
      check(unclosed.lnum == 8 and unclosed.col == 0, ('unclosed-quote at %d:%d, expected 8:0'):format(unclosed.lnum, unclosed.col))
      check(unclosed.severity == vim.diagnostic.severity.WARN, 'unclosed-quote is not a warning')
      return vim.tbl_map(function(d) return { lnum = d.lnum, col = d.col, code = d.code, message = d.message } end, vim.diagnostic.get(0))
    end,
  },
  {
    'hover entity',
    function()
      cursor_on('Lavrov', 2)
      vim.lsp.buf.hover()
      wait_for('the hover window', function() return #floating_windows() > 0 end)
      local win = floating_windows()[1]
      local text = table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, -1, false), '\n')
      vim.api.nvim_win_close(win, true)
      check(text:find('Sergey Lavrov', 1, true), 'hover does not name Sergey Lavrov:\n' .. text)
      check(text:find('Minister of Foreign Affairs of Russia', 1, true), 'hover lacks the role:\n' .. text)
      return text
    end,
  },
  {
    'definition of agreement',
    function()
      cursor_on('Minsk peace agreements', 6)
      vim.lsp.buf.definition()
      wait_for('a jump to agreements.json', function() return vim.endswith(vim.api.nvim_buf_get_name(0), '/kb/agreements.json') end)
      local line = vim.api.nvim_get_current_line()
      local lnum = vim.api.nvim_win_get_cursor(0)[1]
      check(line:find('"id": "minsk-agreements"', 1, true), 'cursor line is not the id line: ' .. line)
      return { file = vim.api.nvim_buf_get_name(0), line = lnum, text = line }
    end,
  },
  {
    'code action add to knowledge base',
    function()
      vim.cmd.edit(vim.fn.fnameescape(unknown_article))
      local bufnr = vim.api.nvim_get_current_buf()
      wait_for('the unknown-entity diagnostic', function() return #diagnostics_with(bufnr, 'unknown-entity') > 0 end)
      local unknown = diagnostics_with(bufnr, 'unknown-entity')[1]
      check(unknown.message:find('"Olesia Markovich Jr"', 1, true), 'unexpected unknown-entity: ' .. unknown.message)
      vim.api.nvim_win_set_cursor(0, { unknown.lnum + 1, unknown.col })
      -- The user picks "as person" from the menu the code action shows.
      menus = {}
      choose = function(title) return vim.endswith(title, 'to knowledge base as person') end
      require('marginalia').add_to_knowledge_base()
      local kb_path = corpus .. '/kb/entities.json'
      wait_for('the edit in entities.json', function()
        local kb = vim.fn.bufnr(kb_path)
        return kb ~= -1 and vim.bo[kb].modified
      end)
      vim.cmd('silent wall')
      local kb = vim.fn.bufnr(kb_path)
      check(not vim.bo[kb].modified, 'entities.json still modified after :wa')
      check(#menus == 1, ('expected one menu of code actions, got %d'):format(#menus))
      return { offered = menus[1] }
    end,
  },
  {
    'knowledge base reloaded after save',
    function()
      local bufnr = vim.fn.bufnr(unknown_article)
      -- The server re-reads the saved knowledge base: the name is now known.
      wait_for('the unknown-entity diagnostics to go away', function() return #diagnostics_with(bufnr, 'unknown-entity') == 0 end)
      return vim.tbl_map(function(d) return { code = d.code, message = d.message } end, vim.diagnostic.get(bufnr))
    end,
  },
  {
    'label mention as PERSON',
    function()
      vim.cmd.edit(vim.fn.fnameescape(seed_article))
      cursor_on('Blinken told', 2)
      annotate_and_save(function() require('marginalia').label('PERSON') end)
      local a = find_annotation('Blinken', function(x) return x.label == 'PERSON' end)
      check(a, 'no PERSON annotation of "Blinken" in the sidecar on disk')
      check(a.status == 'accepted', 'status is ' .. tostring(a.status))
      check(a.annotator == 'nvim-e2e', 'annotator is ' .. tostring(a.annotator) .. ', expected the editor setting nvim-e2e')
      return a
    end,
  },
  {
    'link mention to entity',
    function()
      -- "Link to" labels and links an unannotated mention in one go.
      cursor_on('Dymtro Kuleba', 2)
      annotate_and_save(function() require('marginalia').link() end)
      local a = vim.iter(sidecar_on_disk()):find(function(x) return x.entity == 'dmytro-kuleba' end)
      check(a, 'no annotation linked to dmytro-kuleba on disk')
      check(a.exact:find('Dymtro Kuleba', 1, true), 'the linked span is ' .. a.exact)
      check(a.label == 'PERSON', 'label is ' .. tostring(a.label))
      return a
    end,
  },
  {
    'label selection with keymap',
    function()
      cursor_on('NATO Council')
      -- Visual selection of the 12 characters, then the ORG key (<LocalLeader>o).
      annotate_and_save(function() vim.api.nvim_feedkeys(vim.keycode('v11l<LocalLeader>o'), 'x', false) end)
      local a = find_annotation('NATO Council', function(x) return x.label == 'ORG' end)
      check(a, 'no ORG annotation of "NATO Council" on disk')
      -- Issue 17, item 3: back in normal mode after the visual-mode action.
      check(vim.fn.mode() == 'n', 'mode after the action is ' .. vim.fn.mode())
      return a
    end,
  },
  {
    'label the word under the cursor without a selection',
    function()
      -- Issue 17, item 3: no visual selection needed on a word that is no mention.
      cursor_on('summit', 2)
      annotate_and_save(function() require('marginalia').label('ORG') end)
      local a = find_annotation('summit', function(x) return x.label == 'ORG' end)
      check(a, 'no ORG annotation of "summit" on disk')
      return a
    end,
  },
  {
    'disabled actions are not applied, and say why',
    function()
      -- Issue 17, item 2: with a malformed sidecar (here its open buffer), the
      -- actions are disabled; Neovim 0.11 would apply them and do nothing.
      local sidecar = sidecar_buffer()
      local saved = vim.api.nvim_buf_get_lines(sidecar, 0, -1, false)
      vim.api.nvim_buf_set_lines(sidecar, 0, 0, false, { '{ not json' })
      local notified = {}
      local notify = vim.notify
      vim.notify = function(message, level) table.insert(notified, message) end
      local tick = vim.b[sidecar].changedtick
      -- The server has the malformed buffer once it flags the line (as the user sees it).
      wait_for('the malformed line flagged in the sidecar buffer', function()
        return vim.iter(vim.diagnostic.get(sidecar)):any(function(d) return d.lnum == 0 and d.severity == vim.diagnostic.severity.ERROR end)
      end)
      cursor_on('OSCE', 1)
      local ok, err = pcall(function()
        wait_for('the server to see the malformed sidecar', function()
          require('marginalia').label('PLACE')
          vim.wait(200)
          return vim.iter(notified):any(function(m) return m:find('malformed', 1, true) ~= nil end)
        end)
      end)
      vim.notify = notify
      vim.api.nvim_buf_set_lines(sidecar, 0, -1, false, saved)
      vim.cmd('silent wall')
      check(ok, tostring(err))
      local reason = vim.iter(notified):find(function(m) return m:find('malformed', 1, true) ~= nil end)
      check(vim.b[sidecar].changedtick - tick <= 2, 'nothing but the test touched the sidecar buffer')
      return reason
    end,
  },
  {
    'undo after two actions keeps the saved work',
    function()
      -- Issue 17, friction 1: the actions went to a hidden sidecar buffer, and
      -- one `u` there undid every action since opening, saved or not. Now each is
      -- written by the server, the article's undo does not touch them, and a
      -- loaded sidecar buffer takes one undo step per action.
      local article = vim.api.nvim_get_current_buf()
      local sidecar = sidecar_buffer()
      local text_before = vim.api.nvim_buf_get_lines(article, 0, -1, false)
      cursor_on('Latvia', 1)
      annotate_and_save(function() require('marginalia').label('PLACE') end)
      cursor_on('Kremlin', 1)
      annotate_and_save(function() require('marginalia').label('ORG') end)
      local function has(lines, exact)
        return vim.iter(lines):any(function(l) return l:find('"exact":"' .. exact .. '"', 1, true) ~= nil end)
      end
      local buffer = vim.api.nvim_buf_get_lines(sidecar, 0, -1, false)
      check(has(buffer, 'Latvia') and has(buffer, 'Kremlin'), 'the sidecar buffer was not reloaded with both actions')
      check(not vim.bo[sidecar].modified, 'the sidecar buffer is modified: the actions were not saved')
      -- `u` in the article: nothing of the annotations changes, on disk or in the article.
      vim.api.nvim_feedkeys('u', 'x', false)
      check(vim.deep_equal(vim.api.nvim_buf_get_lines(article, 0, -1, false), text_before), 'undo changed the article text')
      check(find_annotation('Latvia', function(a) return a.label == 'PLACE' end), 'Latvia lost on disk after u in the article')
      check(find_annotation('Kremlin', function(a) return a.label == 'ORG' end), 'Kremlin lost on disk after u in the article')
      -- `u` in the sidecar buffer takes back the last action only, and only in the buffer.
      vim.api.nvim_buf_call(sidecar, function() vim.cmd('silent undo') end)
      buffer = vim.api.nvim_buf_get_lines(sidecar, 0, -1, false)
      check(has(buffer, 'Latvia'), 'one u in the sidecar buffer undid the first action too')
      check(not has(buffer, 'Kremlin'), 'one u in the sidecar buffer did not undo the last action')
      check(find_annotation('Kremlin', function(a) return a.label == 'ORG' end), 'Kremlin lost on disk after u in the sidecar buffer')
      vim.api.nvim_buf_call(sidecar, function() vim.cmd('silent edit!') end)
      local messages = vim.tbl_filter(function(m) return m:find('saved to', 1, true) ~= nil end, notified)
      return { messages = { unpack(messages, #messages - 1) } }
    end,
  },
  {
    'hover annotated mention',
    function()
      cursor_on('Blinken told', 2)
      vim.lsp.buf.hover()
      wait_for('the hover window', function() return #floating_windows() > 0 end)
      local win = floating_windows()[1]
      local text = table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, -1, false), '\n')
      vim.api.nvim_win_close(win, true)
      check(text:find('Annotation', 1, true) and text:find('PERSON', 1, true), 'hover does not show the annotation:\n' .. text)
      check(text:find('nvim-e2e', 1, true), 'hover does not show the annotator:\n' .. text)
      return text
    end,
  },
  {
    'suggest, accept and reject',
    function()
      menus = {}
      annotate_and_save(function() require('marginalia').run_action(function(t) return vim.startswith(t, 'Suggest ') end) end)
      local suggested = vim.tbl_filter(function(a) return a.status == 'suggested' end, sidecar_on_disk())
      check(#suggested > 0, 'no suggested annotations on disk')
      -- Review two of them: accept the first suggestion on "Stockholm", reject the one on "Lavrov".
      cursor_on('Stockholm', 1)
      choose = function(title) return vim.startswith(title, 'Accept suggestion') end
      annotate_and_save(function() require('marginalia').accept() end)
      cursor_on('Lavrov', 1)
      choose = function(title) return vim.startswith(title, 'Reject suggestion') end
      annotate_and_save(function() require('marginalia').reject() end)
      local accepted = find_annotation('Stockholm', function(a) return a.status == 'accepted' end)
      local rejected = find_annotation('Lavrov', function(a) return a.status == 'rejected' end)
      check(accepted, 'the suggestion on Stockholm is not accepted on disk')
      check(rejected, 'the suggestion on Lavrov is not rejected on disk')
      return { suggested = #suggested, accepted = accepted, rejected = rejected, menus = menus }
    end,
  },
  {
    'inlay hints enabled by the plugin',
    function()
      -- Issue 17, friction 4: the plugin turns inlay hints on in articles.
      local bufnr = vim.fn.bufnr(seed_article)
      check(vim.lsp.inlay_hint.is_enabled({ bufnr = bufnr }), 'inlay hints are not enabled in the article')
      vim.cmd.buffer(bufnr)
      local labels
      wait_for('the speaker hints', function()
        labels = vim.tbl_map(function(h)
          local label = h.inlay_hint.label
          return type(label) == 'string' and label or table.concat(vim.tbl_map(function(p) return p.value end, label))
        end, vim.lsp.inlay_hint.get({ bufnr = bufnr }))
        return #labels > 0
      end)
      check(vim.iter(labels):any(function(l) return l:find('Lavrov', 1, true) ~= nil end), 'no hint names Lavrov: ' .. vim.inspect(labels))
      return labels
    end,
  },
}

for _, step in ipairs(steps) do
  local name, run = step[1], step[2]
  local ok, detail = pcall(run)
  table.insert(results.steps, { name = name, ok = ok, detail = detail })
  write_results()
  if not ok then
    break
  end
end
write_results()
vim.cmd('qall!')
