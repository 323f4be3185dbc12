// Training progress on the terminal. On a TTY (stderr) one line is redrawn with `\r`, at
// most 10 times a second: epoch, step/steps, running loss and accuracy, examples per
// second and the time left in the epoch. Elsewhere (logs, pipes) a plain line goes to
// stdout at every tenth of the epoch. --quiet shows nothing.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace nnc::rt::driver {

class Progress {
public:
  enum class Mode { Quiet, Terminal, Lines };
  // Terminal when stderr is a TTY, Lines otherwise, Quiet when asked.
  static Mode detect(bool quiet);

  explicit Progress(Mode mode) : mode_(mode) {}

  void startEpoch(int64_t epoch, int64_t epochs, int64_t steps);
  // After step `step` (1-based) of the epoch: running means and examples seen this epoch.
  void update(int64_t step, double loss, std::optional<double> accuracy, int64_t examples);
  // A short status on the terminal line ("evaluating test 12/40"); nothing elsewhere.
  void status(const std::string &text);
  // Clears the terminal line before the epoch's summary is printed.
  void endEpoch();

private:
  using Clock = std::chrono::steady_clock;
  void draw(const std::string &line);

  Mode mode_;
  int64_t epoch_ = 0, epochs_ = 0, steps_ = 0;
  int64_t lastTenth_ = 0;
  Clock::time_point start_, lastDraw_;
  bool drawn_ = false;
};

// "1:05", "1:02:03".
std::string formatDuration(double seconds);

} // namespace nnc::rt::driver
