# volume.gp - written by hotline report; run it again with: gnuplot volume.gp
set encoding utf8
set datafile missing "?"
set terminal pngcairo size 960,480 font "Noto Sans CJK SC,11"
set output "volume.png"
set style data histograms
set style histogram rowstacked
set style fill solid 0.8 border -1
set boxwidth 0.7
set key top left
set ylabel "工单量"
set xlabel "月份"
plot "months.dat" using 2:xtic(1) title "咨询", "" using 3 title "非咨询"
set terminal svg size 960,480 font "Noto Sans CJK SC,11"
set output "volume.svg"
replot
