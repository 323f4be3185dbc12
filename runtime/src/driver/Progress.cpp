// The progress line: throttled redraws on a terminal, decile lines elsewhere.
#include "driver/Progress.h"

#include <fmt/format.h>

#include <cstdio>
#include <unistd.h>

namespace nnc::rt::driver {

Progress::Mode Progress::detect(bool quiet) {
  if (quiet) return Mode::Quiet;
  return isatty(fileno(stderr)) ? Mode::Terminal : Mode::Lines;
}

std::string formatDuration(double seconds) {
  int64_t s = seconds > 0 ? int64_t(seconds + 0.5) : 0;
  return s >= 3600 ? fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60) : fmt::format("{}:{:02}", s / 60, s % 60);
}

void Progress::startEpoch(int64_t epoch, int64_t epochs, int64_t steps) {
  epoch_ = epoch;
  epochs_ = epochs;
  steps_ = steps;
  lastTenth_ = 0;
  start_ = Clock::now();
  lastDraw_ = {};
}

void Progress::update(int64_t step, double loss, std::optional<double> accuracy, int64_t examples) {
  if (mode_ == Mode::Quiet) return;
  const auto now = Clock::now();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? double(examples) / elapsed : 0;
  const double eta = step > 0 ? elapsed * double(steps_ - step) / double(step) : 0;
  std::string acc = accuracy ? fmt::format(" acc {:.4f}", *accuracy) : "";
  if (mode_ == Mode::Lines) {
    int64_t tenth = steps_ > 0 ? step * 10 / steps_ : 10;
    if (tenth == lastTenth_ || step == steps_) return; // the epoch summary follows the last step
    lastTenth_ = tenth;
    std::fputs(fmt::format("epoch {}/{} step {}/{} loss {:.4f}{} {:.0f} ex/s\n", epoch_, epochs_, step, steps_, loss,
                           acc, rate)
                   .c_str(),
               stdout);
    std::fflush(stdout);
    return;
  }
  if (step != steps_ && now - lastDraw_ < std::chrono::milliseconds(100)) return;
  lastDraw_ = now;
  constexpr int kBar = 20;
  int filled = steps_ > 0 ? int(step * kBar / steps_) : kBar;
  draw(fmt::format("epoch {}/{} [{}{}] {}/{} loss {:.4f}{} {:.0f} ex/s ETA {}", epoch_, epochs_,
                   std::string(size_t(filled), '='), std::string(size_t(kBar - filled), ' '), step, steps_, loss, acc,
                   rate, formatDuration(eta)));
}

void Progress::status(const std::string &text) {
  if (mode_ != Mode::Terminal) return;
  const auto now = Clock::now();
  if (now - lastDraw_ < std::chrono::milliseconds(100)) return;
  lastDraw_ = now;
  draw(fmt::format("epoch {}/{} {}", epoch_, epochs_, text));
}

void Progress::endEpoch() {
  if (mode_ == Mode::Terminal && drawn_) {
    std::fputs("\r\x1b[K", stderr);
    std::fflush(stderr);
    drawn_ = false;
  }
}

void Progress::draw(const std::string &line) {
  std::fputs(("\r" + line + "\x1b[K").c_str(), stderr); // \x1b[K: erase the rest of a longer old line
  std::fflush(stderr);
  drawn_ = true;
}

} // namespace nnc::rt::driver
