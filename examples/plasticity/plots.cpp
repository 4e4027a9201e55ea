#include "plots.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace nmtwin::plasticity {

namespace fs = std::filesystem;

namespace {
std::ofstream open_for_writing(const fs::path& path) {
  std::ofstream f(path);
  if (!f)
    throw std::runtime_error(fmt::format("{}: cannot write it; check that the directory is writable", path.string()));
  return f;
}
}  // namespace

void write_results(const std::string& dir, const TaskParams& p, const std::vector<TrialRecord>& records,
                   const Weights& weights) {
  fs::create_directories(dir);
  auto trials = open_for_writing(fs::path(dir) / "trials.csv");
  // accuracy20_percent: rewarded among the latest 20 trials (all trials so far before the
  // 20th), in percent, rounded down.
  trials << "trial,pattern,count0,count1,reward_q8,mean_reward_q8,correct,accuracy20_percent\n";
  for (const TrialRecord& r : records)
    trials << fmt::format("{},{},{},{},{},{},{},{}\n", r.trial, r.pattern, r.count[0], r.count[1], r.reward,
                          r.rbar_before, r.correct ? 1 : 0, r.recent_correct * 100 / std::min(r.trial + 1, 20u));
  auto w = open_for_writing(fs::path(dir) / "weights.csv");
  w << "pattern,row,neuron,weight\n";
  for (unsigned q = 0; q < outputs; ++q)
    for (unsigned r = 0; r < p.rows; ++r)
      for (unsigned j = 0; j < outputs; ++j)
        w << fmt::format("{},{},{},{}\n", q, p.row_first[q] + r, p.neuron[j], weights.at(q).at(r)[j]);
}

void write_plots(const std::string& dir, const TaskParams& p, std::ostream& out) {
  std::string gp =
      "# Plots of the plasticity example; rerun: gnuplot plasticity.gp (in this directory)\n"
      "set datafile separator ','\nset datafile columnheaders\n";
  const auto plot = [&](const std::string& name, const std::string& size, const std::string& body) {
    for (const char* ext : {"png", "svg"})
      gp += fmt::format("set terminal {} size {} {}\nset output '{}.{}'\n{}\n",
                        std::string(ext) == "png" ? "pngcairo" : "svg", size,
                        std::string(ext) == "svg" ? "dynamic" : "", name, ext, body);
  };
  plot("learning", "900,500",
       fmt::format("set title 'R-STDP: accuracy over the latest 20 trials (seed {})'\nset grid\nset key bottom right\n"
                   "set xlabel 'trial'\nset ylabel 'percent'\nset yrange [0:105]\nset xrange [0:{}]\n"
                   "plot 'trials.csv' using 'trial':(column('trial') >= 19 ? column('accuracy20_percent') : NaN) with lines lw 2 "
                   "title 'accuracy (latest 20 trials)', "
                   "95 with lines dt 2 lc 'black' title 'target 95 %', "
                   "'' using 'trial':(column('mean_reward_q8') / 256.0 * 50 + 50) with lines lc 'gray' "
                   "title 'mean reward of the pattern (-1..1 as 0..100)'",
                   p.seed, p.trials));
  unsigned first_row = p.row_first[0], last_row = p.row_first[0];
  for (unsigned q = 0; q < outputs; ++q) {
    first_row = std::min(first_row, p.row_first[q]);
    last_row = std::max(last_row, p.row_first[q] + p.rows - 1);
  }
  plot("weights", "500,700",
       fmt::format("set title 'final weights (seed {})'\nunset grid\nset key off\nset xlabel 'output neuron'\n"
                   "set ylabel 'synapse row (pattern 0 rows {}..{}, pattern 1 rows {}..{})'\n"
                   "set xrange [{} - 0.5:{} + 0.5]\nset yrange [{} + 0.5:{} - 0.5]\nset xtics 1\nset ytics 1\n"
                   "set cbrange [0:63]\nset cblabel 'weight (6 bit)'\nset palette defined (0 'white', 63 '#1f4e9a')\n"
                   "plot 'weights.csv' using 'neuron':'row':'weight' with image, "
                   "'' using 'neuron':'row':(sprintf('%d', column('weight'))) with labels tc 'black'",
                   p.seed, p.row_first[0], p.row_first[0] + p.rows - 1, p.row_first[1], p.row_first[1] + p.rows - 1,
                   std::min(p.neuron[0], p.neuron[1]), std::max(p.neuron[0], p.neuron[1]), last_row, first_row));
  auto script = open_for_writing(fs::path(dir) / "plasticity.gp");
  script << gp;
  script.close();      // complete before gnuplot reads it
  std::string quoted;  // the directory in single quotes for the shell, its own quotes escaped
  for (char c : dir) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  if (std::system(fmt::format("cd '{}' && gnuplot plasticity.gp 2> gnuplot.log", quoted).c_str()) != 0) {
    fmt::print(out, "plots: gnuplot failed (see {}/gnuplot.log); the CSV files are complete\n", dir);
    return;
  }
  fmt::print(out, "plots in {}: learning.png/.svg, weights.png/.svg\n", dir);
}

}  // namespace nmtwin::plasticity
