# on_time.gp - written by hotline report; run it again with: gnuplot on_time.gp
set encoding utf8
set datafile missing "?"
set terminal pngcairo size 960,480 font "Noto Sans CJK SC,11"
set output "on_time.png"
set yrange [*:100]
set xrange [0.5:12.5]
set xtics 1
set ylabel "按时办结率（%）"
set xlabel "月份"
set key bottom right
plot "months.dat" using 1:4 with linespoints lw 2 pt 7 title "按时办结率"
set terminal svg size 960,480 font "Noto Sans CJK SC,11"
set output "on_time.svg"
replot
