#!/usr/bin/env bash
# Regenerates the screenshots in editors/images/: real Neovim (with
# editors/nvim/init.lua) on a temporary copy of the bundled corpus, driven under
# tmux with send-keys; each pane is captured with its colours (capture-pane -e),
# turned into HTML by ansi2html and photographed by headless Chromium.
# Needs: tmux, chromium, imagemagick (convert), ansi2html (pip), nvim 0.11+
# ($MARGINALIA_NVIM or on PATH) and the server ($MARGINALIA_BIN or on PATH).
# Usage: bash editors/images/capture.sh
set -euo pipefail
images="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$images/../.." && pwd)"
nvim="${MARGINALIA_NVIM:-nvim}"
server="${MARGINALIA_BIN:-$(command -v marginalia)}"
ansi2html="${ANSI2HTML:-ansi2html}"
work="$(mktemp -d)"
socket="marginalia-shots-$$"
trap 'tmux -L "$socket" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT

cp -r "$repo/corpus" "$work/corpus"
printf '%s\n' 'date 2022-02-10' '' \
  'Olesia Markovich Jr told reporters in Kyiv that the talks would continue. “We are ready to meet again next week,” Olesia Markovich Jr said, adding that the Minsk agreements remained the basis of any settlement.' \
  > "$work/corpus/articles/900_unknown_entity.txt"
mkdir -p "$work/home"

# A terminal of 110x30 cells; cursorline shows where the cursor is, since a
# captured pane has no cursor.
tmux -L "$socket" -f /dev/null new-session -d -s shots -x 110 -y 30 -c "$work"
tmux -L "$socket" set -g default-terminal tmux-256color
tmux -L "$socket" set -ga terminal-overrides ',*:RGB'
tmux -L "$socket" send-keys -t shots \
  "clear; env HOME='$work/home' XDG_STATE_HOME='$work/home/state' MARGINALIA_BIN='$server' COLORTERM=truecolor TERM=tmux-256color \
'$nvim' -n -i NONE --cmd 'let g:marginalia_annotator = \"alice\"' -u '$repo/editors/nvim/init.lua' --cmd 'set cursorline noshowcmd nohlsearch' corpus/articles/000_650f7ada08eebc05.txt" Enter

keys() { tmux -L "$socket" send-keys -t shots "$@"; sleep "${PAUSE:-1.5}"; }

shot() {
  local name="$1" title="$2"
  tmux -L "$socket" capture-pane -e -p -t shots > "$work/$name.ansi"
  "$ansi2html" --title "$title" < "$work/$name.ansi" > "$work/$name.html"
  # Monospace, no margins, the body's colour as page colour (trimmed below).
  sed -i 's#</head>#<style>body{margin:16px;background:\#000;} pre,.body_foreground{font-family:"DejaVu Sans Mono",monospace;font-size:15px;line-height:1.25;}</style></head>#' "$work/$name.html"
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1100,720 \
    --screenshot="$work/$name.png" "file://$work/$name.html" >/dev/null 2>&1
  convert "$work/$name.png" -trim +repage -bordercolor black -border 14 "$images/$name.png"
  echo "wrote editors/images/$name.png"
}

sleep 4
# 1. Diagnostics and semantic colours on a seed article.
keys 9G
shot diagnostics "marginalia in Neovim: diagnostics"

# 2. Hover Lavrov (K).
keys '/Lavrov' Enter
keys K
shot hover "marginalia in Neovim: hover"
keys Escape

# 3. Go to definition of an agreement (Ctrl-]).
keys '/Minsk peace' Enter
keys C-]
shot definition "marginalia in Neovim: go to definition"

# 4. The quick fix menu on an unknown name (gra), and its result.
keys ":edit corpus/articles/900_unknown_entity.txt" Enter
sleep 2
keys 3G0
keys gra
shot code-action "marginalia in Neovim: code action"
keys 1 Enter
keys ":wall" Enter
keys ":buffer corpus/kb/entities.json" Enter
keys '/"Olesia Markovich Jr"' Enter
keys zz
shot kb-entry "marginalia in Neovim: the new knowledge-base entry"

# 5. Labelling on the seed article: the menu on a mention (gra), "Link to" (labels
#    and links it), a visual selection labelled ORG with \o, save, hover the
#    mention, and the sidecar file that was written.
keys ":buffer corpus/articles/000_650f7ada08eebc05.txt" Enter
keys '/Blinken told' Enter
keys gra
shot label-menu "marginalia in Neovim: labelling actions"
keys 1 Enter
keys '/NATO Council' Enter
keys v11l '\o'
keys ":wall" Enter
keys '/Blinken told' Enter
keys K
shot hover-annotation "marginalia in Neovim: hover on an annotated mention"
keys Escape
keys ":wall" Enter
keys ":edit corpus/articles/000_650f7ada08eebc05.ann.jsonl" Enter
shot sidecar "marginalia in Neovim: the annotation sidecar"

keys ":qall!" Enter
