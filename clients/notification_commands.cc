#include "clients/notification_commands.h"

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cstdint>
#include <iostream>
#include <limits>
#include <string>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "clients/cli_output.h"
#include "clients/client_options.h"
#include "clients/table.h"

namespace socio::clients {
namespace {

using socio::v1::Notification;
using socio::v1::NotificationSettings;

// "request received", "mutual interest", ...
std::string KindWords(Notification::Kind kind) {
  return absl::StrReplaceAll(absl::AsciiStrToLower(Notification::Kind_Name(kind)), {{"_", " "}});
}

void PrintSettings(const NotificationSettings& s, std::ostream& out) {
  Table table({"FIELD", "VALUE"}, 100);
  table.AddRow({"recipient", s.recipient()});
  table.AddRow({"stream", "every notification (socio notifications watch)"});
  table.AddRow({"e-mail", s.email_to().empty() ? "none" : absl::StrJoin(s.email_to(), ", ")});
  table.AddRow({"webhook", s.webhook_url().empty() ? "none" : s.webhook_url()});
  table.AddRow({"webhook secret", s.webhook_secret_set() ? "set" : "not set"});
  if (s.has_update_time()) table.AddRow({"updated", FormatTime(s.update_time())});
  table.Print(out);
}

// Blocks SIGINT and SIGTERM in the calling thread and in every thread it
// starts from now on, and answers that set, for sigtimedwait.
sigset_t BlockStopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

}  // namespace

NotificationCommands::NotificationCommands(const GlobalOptions& global) : global_(global) {}
NotificationCommands::~NotificationCommands() = default;

const NotificationClient& NotificationCommands::Client() {
  if (client_ == nullptr) client_ = std::make_unique<NotificationClient>(OpenChannel(global_));
  return *client_;
}

void NotificationCommands::Register(CLI::App& app, CLI::App& admin, int* exit_code) {
  const auto run = [exit_code](CLI::App* command, std::function<int()> body) {
    OnRun(command, exit_code, std::move(body));
  };
  CLI::App* notifications = app.add_subcommand(
      "notifications", "What members and staff are told: the live stream and the channels");
  notifications->require_subcommand(1);
  // Options of `socio` (--json, --server) may also follow the subcommand.
  notifications->fallthrough();
  const auto recipient = [this](CLI::App* command) {
    command->add_option("--recipient", recipient_,
                        "A profile id or staff:CHAMBER; default: the token's own (the member's, "
                        "or its chamber's staff, whose stream also carries its members')");
  };

  CLI::App* watch = notifications->add_subcommand(
      "watch",
      "Print notifications as they arrive until Ctrl-C, which prints the sequence to resume "
      "after");
  recipient(watch);
  watch->add_option("--after", after_,
                    "Start after this sequence (0: from the first notification)");
  watch->add_flag("--once", once_,
                  "End once caught up: when the stream has been quiet for a second after the "
                  "server answered");
  run(watch, [this] { return Watch(); });

  CLI::App* settings = notifications->add_subcommand(
      "settings",
      "Show the recipient's channels, or change them: e-mail addresses, a signed webhook");
  recipient(settings);
  CLI::Option* email =
      settings
          ->add_option("--email", emails_,
                       "Send each notification to these addresses (at most 5; replaces the list; "
                       "comma-separated or repeated)")
          ->delimiter(',')
          ->allow_extra_args(false);
  settings->add_flag("--clear-email", clear_email_, "Send no e-mail")->excludes(email);
  CLI::Option* webhook = settings->add_option(
      "--webhook", webhook_, "POST each notification as signed JSON to this http(s) URL");
  CLI::Option* secret = settings->add_option(
      "--webhook-secret-file", webhook_secret_file_,
      "File whose first line is the webhook's secret (16 to 128 characters); receivers check "
      "the X-Socio-Signature header with it. Needed with the first --webhook");
  settings->add_flag("--clear-webhook", clear_webhook_, "Post to no webhook")
      ->excludes(webhook)
      ->excludes(secret);
  run(settings, [this] { return Settings(); });

  CLI::App* parked = admin.add_subcommand(
      "parked", "Webhook deliveries given up on after their retries (operators)");
  parked->fallthrough();
  run(parked, [this] { return Parked(); });
}

int NotificationCommands::Watch() {
  // Before the channel starts gRPC's threads, so that they inherit the mask
  // and only the watchdog below takes SIGINT and SIGTERM.
  const sigset_t stop_signals = BlockStopSignals();

  socio::v1::WatchNotificationsRequest request;
  request.set_recipient(recipient_);
  request.set_after_sequence(after_);
  absl::StatusOr<std::unique_ptr<ReadStream<Notification>>> opened =
      Client().WatchNotifications(request, WithoutDeadline());
  if (!opened.ok()) return Fail(opened.status());
  ReadStream<Notification>& stream = **opened;

  // Ends the stream from its own thread (Cancel is thread-safe) on a stop
  // signal or, with --once, once it has been quiet long enough.
  std::atomic<bool> done{false};
  std::atomic<int> stopped_by{0};  // a signal number, or -1: caught up
  std::atomic<int64_t> last_heard{std::numeric_limits<int64_t>::max()};  // unix nanos
  std::thread watchdog([&] {
    const timespec tick = {0, 50 * 1000 * 1000};
    while (!done.load()) {
      const int caught = sigtimedwait(&stop_signals, nullptr, &tick);
      if (caught > 0) {
        stopped_by = caught;
      } else if (once_ && absl::GetCurrentTimeNanos() - last_heard.load() >
                              absl::ToInt64Nanoseconds(kCaughtUpAfter)) {
        stopped_by = -1;
      } else {
        continue;
      }
      stream.Cancel();
      return;
    }
  });

  // The quiet time counts from the server's answer, not from the connect.
  stream.WaitForInitialMetadata();
  last_heard = absl::GetCurrentTimeNanos();
  uint64_t last = after_;
  Notification n;
  while (stream.Read(&n)) {
    last_heard = absl::GetCurrentTimeNanos();
    last = n.sequence();
    if (global_.json) {
      std::cout << ToJson(n) << std::endl;
    } else {
      std::cout << absl::StrFormat("%d  %s  %s  to %s: %s", n.sequence(),
                                   FormatTime(n.create_time()), KindWords(n.kind()), n.recipient(),
                                   n.summary())
                << std::endl;
    }
  }
  done = true;
  watchdog.join();
  absl::Status status = stream.Finish();
  if (stopped_by != 0) {
    std::cerr << "socio: " << (stopped_by > 0 ? "stopped" : "caught up") << " after sequence "
              << last << "; resume with --after " << last << "\n";
    return 0;
  }
  const int exit_status = status.ok() ? 0 : Fail(status);
  std::cerr << "socio: the stream ended after sequence " << last << "; resume with --after " << last
            << "\n";
  return exit_status;
}

int NotificationCommands::Settings() {
  socio::v1::GetNotificationSettingsRequest get;
  get.set_recipient(recipient_);
  absl::StatusOr<NotificationSettings> current = Client().GetNotificationSettings(get);
  if (!current.ok()) return Fail(current.status());
  const bool change = !emails_.empty() || clear_email_ || !webhook_.empty() || clear_webhook_ ||
                      !webhook_secret_file_.empty();
  if (!change) {
    if (global_.json) {
      std::cout << ToJson(*current) << "\n";
    } else {
      PrintSettings(*current, std::cout);
    }
    return 0;
  }

  socio::v1::SetNotificationSettingsRequest set;
  NotificationSettings& settings = *set.mutable_settings();
  settings.set_recipient(current->recipient());
  *settings.mutable_email_to() = current->email_to();
  settings.set_webhook_url(current->webhook_url());
  if (clear_email_) settings.clear_email_to();
  if (!emails_.empty()) {
    settings.clear_email_to();
    for (std::string& address : Values(emails_)) settings.add_email_to(std::move(address));
  }
  if (clear_webhook_) settings.clear_webhook_url();
  if (!webhook_.empty()) settings.set_webhook_url(webhook_);
  if (!webhook_secret_file_.empty()) {
    absl::StatusOr<std::string> content =
        ReadOptionFile("--webhook-secret-file", webhook_secret_file_);
    if (!content.ok()) return Fail(content.status());
    std::string secret(absl::StripAsciiWhitespace(content->substr(0, content->find('\n'))));
    if (secret.empty()) {
      return Fail(absl::InvalidArgumentError(
          absl::StrCat("--webhook-secret-file: '", webhook_secret_file_, "' is empty")));
    }
    settings.set_webhook_secret(std::move(secret));
  }
  if (!settings.webhook_url().empty() && settings.webhook_secret().empty() &&
      !current->webhook_secret_set()) {
    return Fail(absl::InvalidArgumentError(
        "--webhook-secret-file: is required with a first --webhook: receivers check the "
        "signature with the secret"));
  }
  absl::StatusOr<NotificationSettings> stored = Client().SetNotificationSettings(set);
  if (!stored.ok()) return Fail(stored.status());
  if (global_.json) {
    std::cout << ToJson(*stored) << "\n";
  } else {
    PrintSettings(*stored, std::cout);
  }
  return 0;
}

int NotificationCommands::Parked() {
  socio::v1::ListParkedDeliveriesRequest request;
  socio::v1::ListParkedDeliveriesResponse all;
  do {
    absl::StatusOr<socio::v1::ListParkedDeliveriesResponse> page =
        Client().ListParkedDeliveries(request);
    if (!page.ok()) return Fail(page.status());
    for (socio::v1::ParkedDelivery& d : *page->mutable_deliveries()) {
      *all.add_deliveries() = std::move(d);
    }
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  if (global_.json) {
    std::cout << ToJson(all) << "\n";
    return 0;
  }
  Table table(
      {"SEQUENCE", "RECIPIENT", "WEBHOOK", "ATTEMPTS", "PARKED", "LAST ERROR", "NOTIFICATION"}, 60);
  for (const socio::v1::ParkedDelivery& d : all.deliveries()) {
    table.AddRow({absl::StrCat(d.sequence()), d.recipient(), d.webhook_url(),
                  absl::StrCat(d.attempts()), FormatTime(d.parked_time()), d.last_error(),
                  d.notification_id()});
  }
  table.Print(std::cout);
  std::cout << all.deliveries_size()
            << (all.deliveries_size() == 1 ? " parked delivery" : " parked deliveries") << "\n";
  return 0;
}

}  // namespace socio::clients
