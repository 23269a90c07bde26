#!/bin/sh
# tests/wire/test_render_tmux.sh - display width as a terminal draws it,
# and the tolk render command line.
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
space_then_lone_modifier| \360\237\217\275|3
letter_then_lone_modifier|a\360\237\217\275|3
zwj_family|\360\237\221\250\342\200\215\360\237\221\251\342\200\215\360\237\221\247|2
flag_pair|\360\237\207\254\360\237\207\267|2
text_default_heart|\342\235\244|1
text_default_heart_vs16|\342\235\244\357\270\217|2|tmux 3.3a ignores VS16 and draws 1 column; most terminals (kitty, foot, wezterm, iTerm2, Windows Terminal) draw 2, as render.h does
unicode14_melting_face|\360\237\253\240|2'

n=$(printf '%s\n' "$cases" | wc -l)
ncli=7
echo "1..$((n + ncli))"
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

# ---- tolk render, the command (cases n+1 ..) ----
tolk=${TOLK_BIN:-./tolk}
i=$n
check() {	# name, condition result (0 ok)
	i=$((i + 1))
	if [ "$2" = 0 ]; then echo "ok $i - $1"; else echo "not ok $i - $1"; fi
}
tmpd=$(mktemp -d)
printf '# T\n\n**b** x\n' > "$tmpd/a.md"
out=$("$tolk" render --plain --width 20 "$tmpd/a.md")
[ "$out" = "$(printf '# T\n\nb x')" ]; check render_plain_prints_laid_out_lines $?
out=$(NO_COLOR=1 "$tolk" render --width 20 "$tmpd/a.md")
[ "$out" = "$(printf '# T\n\nb x')" ]; check render_no_color_env_means_plain $?
out=$(unset NO_COLOR; "$tolk" render --width 20 "$tmpd/a.md")
case "$out" in *"$(printf '\033[')"*) r=0 ;; *) r=1 ;; esac
check render_colours_with_sgr_by_default $r
out=$(printf 'a\033]0;t\007b\n' | "$tolk" render --plain -)
[ "$out" = ab ]; check render_reads_stdin_and_strips_escapes $?
out=$(printf 'aaa bbb\n' | "$tolk" render --plain --width 3)
[ "$out" = "$(printf 'aaa\nbbb')" ]; check render_width_option_wraps $?
"$tolk" render --width 0 "$tmpd/a.md" >/dev/null 2>&1
[ $? = 2 ]; check render_bad_width_is_usage_error_2 $?
"$tolk" render "$tmpd/missing.md" >/dev/null 2>&1
[ $? = 2 ]; check render_missing_file_exits_2 $?
rm -rf "$tmpd"
