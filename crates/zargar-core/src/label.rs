//! Tag labels (اتیکت): Code 128 barcodes and the label drawn as SVG.
