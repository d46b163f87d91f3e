# handling.gp - written by hotline report; run it again with: gnuplot handling.gp
set encoding utf8
set datafile missing "?"
set terminal pngcairo size 800,560 font "Noto Sans CJK SC,17" linewidth 2
set output "handling.png"
set title '荔湾区 2022'."\n".'平均办理时长（咨询与非咨询，两年对比）' noenhanced font ",21"
set grid ytics lc rgb "#d0d0d0"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set ylabel "平均办理时长（小时）"
set yrange [0:*]
set xtics ("咨询类" 0, "非咨询类" 1)
set key top left
plot "handling.dat" using 2 title "2021", "" using 3 title "2022"
set terminal svg size 800,560 font "Noto Sans CJK SC,17" linewidth 2
set output "handling.svg"
replot
