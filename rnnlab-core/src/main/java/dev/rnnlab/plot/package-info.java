/**
 * Charts, drawn with XChart and written as PNG or SVG by file extension. XChart is used only here, so the
 * rest of rnnlab hands over plain numbers.
 */
package dev.rnnlab.plot;
