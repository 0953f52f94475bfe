//! Receipt printers: ESC/POS raster and how bytes reach a printer.
