# volume.gp - written by hotline report; run it again with: gnuplot volume.gp
set encoding utf8
set datafile missing "?"
set terminal pngcairo size 800,560 font "Noto Sans CJK SC,17" linewidth 2
set output "volume.png"
set title '荔湾区 2022'."\n".'工单量（按月，咨询与非咨询）' noenhanced font ",21"
set grid ytics lc rgb "#d0d0d0"
set style data histograms
set style histogram rowstacked
set style fill solid 0.8 border -1
set boxwidth 0.7
set key outside bottom center horizontal
set ylabel "工单量（件）"
set xlabel "月份"
set yrange [0:3]
set ytics ("0" 0, "1" 1, "2" 2, "3" 3)
plot "months.dat" using 2:xtic(1) title "咨询", "" using 3 title "非咨询"
set terminal svg size 800,560 font "Noto Sans CJK SC,17" linewidth 2
set output "volume.svg"
replot
