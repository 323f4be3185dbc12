// Writing the data and script files of a plot and running gnuplot on them.
#include "driver/Plot.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace nnc::rt::driver {

namespace fs = std::filesystem;

bool isPlotPath(const std::string &path) {
  std::string ext = fs::path(path).extension().string();
  return ext == ".svg" || ext == ".png";
}

namespace {

// A gnuplot single-quoted string ('' stands for ').
std::string gnuplotString(const std::string &s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// The columns the plot draws, in data-file order: epoch first.
std::vector<std::string> plotColumns(const std::vector<MetricsRow> &rows, const std::vector<std::string> &metricNames) {
  std::vector<std::string> columns{"epoch"};
  for (const char *part : {"train", "val", "test"}) {
    std::string loss = fmt::format("{}_loss", part);
    bool present = false;
    for (const MetricsRow &r : rows) present |= !std::isnan(valueOf(r, loss));
    if (!present) continue;
    columns.push_back(loss);
    for (const std::string &m : metricNames) columns.push_back(fmt::format("{}_{}", part, m));
  }
  return columns;
}

} // namespace

std::string plotScript(const std::string &path, const std::string &dataPath, const std::vector<MetricsRow> &rows,
                       const std::vector<std::string> &metricNames) {
  std::vector<std::string> columns = plotColumns(rows, metricNames);
  bool png = fs::path(path).extension() == ".png";
  std::string s;
  s += png ? "set terminal pngcairo size 1100,450 font ',10'\n"
           : "set terminal svg size 1100,450 dynamic font 'sans,11' background rgb 'white'\n";
  s += "set output " + gnuplotString(path) + "\n";
  // noenhanced: column names keep their underscores instead of turning into subscripts.
  s += "set termoption noenhanced\nset datafile missing '?'\nset key below horizontal\nset grid\n";
  s += "set xlabel 'epoch'\nset xtics 1\nset multiplot layout 1," + std::string(metricNames.empty() ? "1" : "2") + "\n";
  auto panel = [&](const std::string &title, auto wanted) {
    std::vector<std::string> plots;
    for (size_t i = 1; i < columns.size(); ++i)
      if (wanted(columns[i]))
        plots.push_back(fmt::format("{} using 1:{} with linespoints title {}", gnuplotString(dataPath), i + 1,
                                    gnuplotString(columns[i].substr(0, columns[i].find('_')))));
    s += "set title " + gnuplotString(title) + "\n";
    s += plots.empty() ? "plot 0 notitle\n" : "plot " + fmt::format("{}", fmt::join(plots, ", \\\n     ")) + "\n";
  };
  panel("loss", [](const std::string &c) { return c.ends_with("_loss"); });
  if (!metricNames.empty())
    panel(fmt::format("{}", fmt::join(metricNames, ", ")), [](const std::string &c) { return !c.ends_with("_loss"); });
  s += "unset multiplot\n";
  return s;
}

std::optional<std::string> plotMetrics(const std::string &path, const std::vector<MetricsRow> &rows,
                                       const std::vector<std::string> &metricNames) {
  std::error_code ec;
  fs::path dir = fs::temp_directory_path(ec);
  if (ec) dir = "/tmp";
  std::string base = (dir / fmt::format("nnc-plot-{}", getpid())).string();
  std::string dataPath = base + ".dat", scriptPath = base + ".gp", logPath = base + ".log";
  struct Cleanup {
    std::vector<std::string> files;
    ~Cleanup() {
      for (const std::string &f : files) std::remove(f.c_str());
    }
  } cleanup{{dataPath, scriptPath, logPath}};

  std::vector<std::string> columns = plotColumns(rows, metricNames);
  {
    std::ofstream data(dataPath), script(scriptPath);
    for (const MetricsRow &r : rows) {
      for (size_t i = 0; i < columns.size(); ++i) {
        double v = valueOf(r, columns[i]);
        data << (i ? " " : "") << (std::isfinite(v) ? fmt::format("{}", v) : std::string("?"));
      }
      data << '\n';
    }
    script << plotScript(path, dataPath, rows, metricNames);
    if (!data || !script) return fmt::format("{}: no plot: cannot write temporary files in {}", path, dir.string());
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, logPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  const char *argv[] = {"gnuplot", scriptPath.c_str(), nullptr};
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, "gnuplot", &actions, nullptr, const_cast<char *const *>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0)
    return rc == ENOENT ? fmt::format("{}: no plot: gnuplot is not installed (apt-get install gnuplot-nox)", path)
                        : fmt::format("{}: no plot: cannot run gnuplot: {}", path, std::strerror(rc));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::ifstream log(logPath);
    std::string first;
    std::getline(log, first);
    std::string line, last;
    while (std::getline(log, line))
      if (!line.empty()) last = line;
    return fmt::format("{}: no plot: gnuplot failed{}{}", path, last.empty() && first.empty() ? "" : ": ",
                       last.empty() ? first : last);
  }
  return std::nullopt;
}

} // namespace nnc::rt::driver
