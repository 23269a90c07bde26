#!/bin/sh
# tests/wire/test_render_tmux.sh - display width as a terminal draws it.
#
# For each width class of render.h (width_cluster) print the cluster and a
# marker in a detached tmux pane, then ask tmux where the cursor is and check
# with capture-pane that the marker landed right after the cluster. The
# expected widths are the ones tests/unit/test_render_width.c pins for
# width_cluster(), so the engine and the terminal agree. TAP output.
# Uses its own tmux server (-L), killed at the end.

LC_ALL=C.UTF-8
export LC_ALL
sock="tolk-render-$$"
T="tmux -u -L $sock -f /dev/null"

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux not installed"
	exit 0
fi

# name|printf-escaped cluster|expected width[|TODO reason]
# A TODO case is a known disagreement between render.h's rule and this
# tmux; TAP reports it without failing the run, and says so if it passes.
cases='ascii|a|1
latin_precomposed|\303\251|1
latin_combining_acute|e\314\201|1
greek|\316\261|1
cyrillic|\320\226|1
cjk_wide|\344\270\255|2
hangul_syllable|\355\225\234|2
fullwidth_latin|\357\274\241|2
emoji_presentation|\360\237\230\200|2
emoji_modifier_sequence|\360\237\221\215\360\237\217\275|2|tmux 3.3a draws the skin-tone modifier as a cell of its own (4 columns); terminals with emoji support draw the sequence in 2, as render.h does
zwj_family|\360\237\221\250\342\200\215\360\237\221\251\342\200\215\360\237\221\247|2
flag_pair|\360\237\207\254\360\237\207\267|2
text_default_heart|\342\235\244|1
text_default_heart_vs16|\342\235\244\357\270\217|2|tmux 3.3a ignores VS16 and draws 1 column; most terminals (kitty, foot, wezterm, iTerm2, Windows Terminal) draw 2, as render.h does
unicode14_melting_face|\360\237\253\240|2'

n=$(printf '%s\n' "$cases" | wc -l)
echo "1..$n"
i=0
cleanup() { $T kill-server 2>/dev/null; }
trap cleanup EXIT
# One server for all cases: it lives while this session does.
$T new-session -d -s keep "sleep 600" || { echo "# cannot start tmux"; exit 1; }
printf '%s\n' "$cases" | while IFS='|' read -r name cl want todo; do
	i=$((i + 1))
	s="c$i"
	# The pane prints the cluster and a marker, then waits.
	$T new-session -d -s "$s" -x 40 -y 5 "printf '$cl|'; sleep 30" || {
		echo "not ok $i - $name # cannot start tmux"
		continue
	}
	x=""
	tries=0
	while [ $tries -lt 50 ]; do
		x=$($T display-message -p -t "$s" '#{cursor_x}' 2>/dev/null)
		[ -n "$x" ] && [ "$x" != 0 ] && break
		sleep 0.1
		tries=$((tries + 1))
	done
	line=$($T capture-pane -p -t "$s" | head -n 1)
	$T kill-session -t "$s" 2>/dev/null
	expect_x=$((want + 1))
	exp_line=$(printf "$cl|")
	d=""
	[ -n "$todo" ] && d=" # TODO $todo"
	if [ "$x" = "$expect_x" ] && [ "$line" = "$exp_line" ]; then
		echo "ok $i - ${name}_is_${want}_columns$d"
	else
		echo "not ok $i - ${name}_is_${want}_columns$d"
		echo "# marker after column $x (want $expect_x); pane: '$line'"
	fi
done
