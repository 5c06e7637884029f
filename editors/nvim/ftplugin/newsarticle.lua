-- Buffer options for news articles: soft-wrapped prose, no comment syntax.
vim.opt_local.wrap = true
vim.opt_local.linebreak = true
vim.opt_local.breakindent = true
vim.opt_local.commentstring = ''
vim.b.undo_ftplugin = 'setlocal wrap< linebreak< breakindent< commentstring<'
