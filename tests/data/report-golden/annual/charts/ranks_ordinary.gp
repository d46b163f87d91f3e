# ranks_ordinary.gp - written by hotline report; run it again with: gnuplot ranks_ordinary.gp
set encoding utf8
set datafile missing "?"
set terminal pngcairo size 800,560 font "Noto Sans CJK SC,17" linewidth 2
set output "ranks_ordinary.png"
set title '荔湾区 2022'."\n".'各区按月排名（普通工单满意率）' noenhanced font ",21"
set grid ytics lc rgb "#d0d0d0"
set xrange [0.5:12.5]
set xtics 1
set yrange [2.5:-0.5]
set palette defined (1 "#1a9850", 6 "#fee08b", 11 "#d73027")
set cbrange [1:11]
set cblabel "名次（空白：未排名）"
set xlabel "月份"
unset key
unset grid
plot "ranks_ordinary.dat" using 1:2:(0.5):(0.5):3:ytic(4) with boxxyerror fill solid 1 fc palette, "" using 1:2:(sprintf("%d", $3)) with labels
set terminal svg size 800,560 font "Noto Sans CJK SC,17" linewidth 2
set output "ranks_ordinary.svg"
replot
