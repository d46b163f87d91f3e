# ranks_key.gp - written by hotline report; run it again with: gnuplot ranks_key.gp
set encoding utf8
set datafile missing "?"
set terminal pngcairo size 960,480 font "Noto Sans CJK SC,11"
set output "ranks_key.png"
set xrange [0.5:12.5]
set xtics 1
set yrange [-0.5:2.5] reverse
set palette defined (1 "#1a9850", 6 "#fee08b", 11 "#d73027")
set cbrange [1:11]
set cblabel "排名"
set xlabel "月份"
unset key
plot "ranks_key.dat" using 1:2:(0.5):(0.5):3:ytic(4) with boxxyerror fill solid 1 fc palette, "" using 1:2:(sprintf("%d", $3)) with labels
set terminal svg size 960,480 font "Noto Sans CJK SC,11"
set output "ranks_key.svg"
replot
