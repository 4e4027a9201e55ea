#pragma once
// Waveform file handling shared by every traced model: format from the file name,
// deterministic FST headers, and VCD output through gtkwave's fst2vcd.

#include <string>

namespace nmtwin::sim {

enum class WaveFormat { fst, vcd };

/// Format named by the file extension; anything but .fst / .vcd throws std::invalid_argument.
WaveFormat waveform_format(const std::string& path);

/// Completes a closed FST file: fixes its header date (so identical runs give identical
/// bytes) and, when `final_path` is a .vcd, converts it with fst2vcd and removes the FST.
void finish_waveform(const std::string& fst_path, const std::string& final_path);

}  // namespace nmtwin::sim
