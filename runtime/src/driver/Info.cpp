// `info`: what the training binary holds: the model, its state tensors, entry points,
// optimizer and memory.
#include "driver/Commands.h"
#include "driver/Threads.h"
#include "driver/Setup.h"

#include <fmt/format.h>

#include <cstdio>

namespace nnc::rt::driver {

Status runInfo(const nnc_compiled_model *compiled) {
  auto opened = openModel(compiled, CommonOptions{});
  if (!opened) return std::move(opened).takeError();
  Model &model = *opened.value();
  const Artifact &a = model.artifact();
  std::string out;
  out += fmt::format("model: {} (from {})\n", a.name, a.source);
  out += fmt::format("batch: {}\ninput: {}\nclasses: {}\n", a.batch, model.inputDescription(), model.classes());
  out += fmt::format("parameters: {}\nstate memory: {} bytes\n", a.parameterCount(), model.session().memoryBytes());
  out += "state:\n";
  for (const StateSpec &s : a.state)
    out += fmt::format("  {:<16} {:<28} {}{}\n", roleName(s.role), s.name, formatSpec(s), s.frozen ? " frozen" : "");
  for (const EntryPointSpec &e : a.entryPoints) {
    out += fmt::format("entry {}:\n", e.name);
    for (const ValueSpec &v : e.arguments) out += fmt::format("  arg    {:<15} {:<12} {}\n", roleName(v.role), v.name, formatSpec(v));
    for (const ValueSpec &v : e.results) out += fmt::format("  result {:<15} {:<12} {}\n", roleName(v.role), v.name, formatSpec(v));
  }
  if (a.optimizer) {
    out += fmt::format("optimizer: {}\n", a.optimizer->name);
    for (const NamedNumber &h : a.optimizer->hyperparameters) out += fmt::format("  {} = {}\n", h.name, h.number);
    for (const NamedNumber &s : a.optimizer->settings) out += fmt::format("  {} = {} (compiled in)\n", s.name, s.number);
  }
  out += fmt::format("threads: {} (OpenMP; train --threads N sets them)\n", applyThreads(0));
  std::fputs(out.c_str(), stdout);
  return okStatus();
}

} // namespace nnc::rt::driver
