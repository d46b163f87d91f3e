# on_time.gp - written by hotline report; run it again with: gnuplot on_time.gp
set encoding utf8
set datafile missing "?"
set terminal pngcairo size 800,560 font "Noto Sans CJK SC,17" linewidth 2
set output "on_time.png"
set title '荔湾区 2022-03'."\n".'超期办结工单（每万件，按月）' noenhanced font ",21"
set grid ytics lc rgb "#d0d0d0"
set style fill solid 0.8 border -1
set boxwidth 0.6
set xrange [0.5:12.5]
set xtics 1
set yrange [0:*]
set offsets 0, 0, graph 0.15, 0
set ylabel "每万件超期工单数"
set xlabel "月份（柱上数字：超期件数）"
unset key
plot "months.dat" using 1:11 with boxes lc rgb "#d73027", "" using 1:11:12 with labels offset 0,1 font ",14"
set terminal svg size 800,560 font "Noto Sans CJK SC,17" linewidth 2
set output "on_time.svg"
replot
