# satisfaction.gp - written by hotline report; run it again with: gnuplot satisfaction.gp
set encoding utf8
set datafile missing "?"
set terminal pngcairo size 960,480 font "Noto Sans CJK SC,11"
set output "satisfaction.png"
set xrange [0.5:12.5]
set xtics 1
set ylabel "满意率（%）"
set y2label "全市排名"
set y2range [12:0.5]
set y2tics 1
set ytics nomirror
set xlabel "月份"
set key outside top center horizontal
plot "months.dat" using 1:5 with linespoints lw 2 pt 7 title "满意率（普通）", "" using 1:6 with linespoints lw 2 pt 5 title "满意率（重点）", "" using 1:7 axes x1y2 with points pt 6 ps 2 title "排名（普通）", "" using 1:8 axes x1y2 with points pt 4 ps 2 title "排名（重点）"
set terminal svg size 960,480 font "Noto Sans CJK SC,11"
set output "satisfaction.svg"
replot
