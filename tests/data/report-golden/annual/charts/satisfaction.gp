# satisfaction.gp - written by hotline report; run it again with: gnuplot satisfaction.gp
set encoding utf8
set datafile missing "?"
set terminal pngcairo size 800,560 font "Noto Sans CJK SC,17" linewidth 2
set output "satisfaction.png"
set title '荔湾区 2022'."\n".'满意率与全市排名（按月，普通与重点工单）' noenhanced font ",21"
set grid ytics lc rgb "#d0d0d0"
set xrange [0.5:12.5]
set xtics 1
set yrange [45:100.5]
set ylabel "满意率（%，纵轴自 45 起）"
set y2label "全市排名"
set y2range [12.5:0.5]
set y2tics (1, 3, 6, 9, 12)
set ytics nomirror
set arrow from graph 0, first 90 to graph 1, first 90 nohead dt 2 lc rgb "#d73027"
set label "督办线 90%" at graph 0.01, first 90 offset 0,0.6 tc rgb "#d73027" font ",12"
set xlabel "月份"
set key outside bottom center horizontal maxrows 2 font ",14" samplen 2
plot "months.dat" using 1:5 with linespoints lw 2 pt 7 title "满意率（普通）", "" using 1:6 with linespoints lw 2 pt 5 title "满意率（重点）", "" using 1:7 axes x1y2 with points pt 6 ps 2 title "排名（普通）", "" using 1:8 axes x1y2 with points pt 4 ps 2 title "排名（重点）"
set terminal svg size 800,560 font "Noto Sans CJK SC,17" linewidth 2
set output "satisfaction.svg"
replot
