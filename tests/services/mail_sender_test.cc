#include "services/mail_sender.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/receivers.h"
#include "tests/support/reserved_port.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace socio::services {
namespace {

using ::socio::testing::IsOk;
using ::socio::testing::StatusIs;
using ::socio::testing::Str;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kFrom[] = "notify@chamber.example";

Mail SampleMail() {
  Mail mail;
  mail.to = "anna@acme.example";
  mail.subject = "Huber GmbH asks to meet you";
  mail.message_id = "n-7@chamber.example";
  mail.date = absl::FromCivil(absl::CivilSecond(2027, 3, 29, 15, 4, 5), absl::UTCTimeZone());
  mail.text = "Huber GmbH asks to meet you.\nMessage: hello\n";
  return mail;
}

// The header lines of a composed message, up to the blank line.
std::vector<std::string> HeaderLines(const std::string& message) {
  const std::string head = message.substr(0, message.find("\r\n\r\n"));
  return absl::StrSplit(head, "\r\n");
}

TEST(ComposeMailTest, WritesTheHeadersAMailProgramNeeds) {
  const std::string message = ComposeMail(kFrom, SampleMail());
  EXPECT_THAT(
      HeaderLines(message),
      ElementsAre("From: Socio <notify@chamber.example>", "To: <anna@acme.example>",
                  "Subject: Huber GmbH asks to meet you", "Date: Mon, 29 Mar 2027 15:04:05 +0000",
                  "Message-ID: <n-7@chamber.example>", "MIME-Version: 1.0",
                  "Content-Type: text/plain; charset=UTF-8",
                  "Content-Transfer-Encoding: quoted-printable"));
  EXPECT_THAT(message, HasSubstr("\r\n\r\nHuber GmbH asks to meet you.\r\nMessage: hello\r\n"));
  // The same mail composed again is the same message: a resend is one mail.
  EXPECT_EQ(message, ComposeMail(kFrom, SampleMail()));
}

TEST(ComposeMailTest, ALineBreakInAValueWritesNoHeaderOfItsOwn) {
  Mail mail = SampleMail();
  mail.subject = "Hello\r\nBcc: victim@other.example";
  mail.message_id = "n-7@x\nX-Evil: 1";
  const std::string message = ComposeMail(kFrom, mail);
  for (const std::string& line : HeaderLines(message)) {
    EXPECT_THAT(line, Not(StartsWith("Bcc:")));
    EXPECT_THAT(line, Not(StartsWith("X-Evil:")));
  }
  EXPECT_THAT(message, HasSubstr("Subject: Hello  Bcc: victim@other.example\r\n"));
}

TEST(ComposeMailTest, KeepsEveryLineWithinTheLimitForLongNonAsciiText) {
  Mail mail = SampleMail();
  mail.subject = std::string(30, 'x') + " Señor Müller aus Köln möchte Sie treffen, " +
                 "größte Grüße aus München und Zürich, ¡hasta pronto!";
  mail.text = absl::StrCat(std::string(200, 'a'), " é=", std::string(100, 'b'), "\n");
  const std::string message = ComposeMail(kFrom, mail);
  for (absl::string_view line : absl::StrSplit(message, "\r\n")) {
    EXPECT_LE(line.size(), 78u) << line;
    for (const char c : line) EXPECT_GE(static_cast<unsigned char>(c), 0x20) << line;
    for (const char c : line) EXPECT_LT(static_cast<unsigned char>(c), 0x80) << line;
  }
}

TEST(MailSenderTest, RefusesOptionsNamingTheField) {
  EXPECT_THAT(MailSender::Create({.url = "http://relay.example", .from = kFrom}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("smtp_url")));
  EXPECT_THAT(MailSender::Create({.url = "smtp://", .from = kFrom}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("smtp_url")));
  EXPECT_THAT(MailSender::Create({.url = "smtp://relay.example", .from = "nobody"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("mail_from")));
}

class MailSenderServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<testing::Receiver> smtp = testing::StartSmtpReceiver(dir_.path());
    ASSERT_THAT(smtp, IsOk());
    smtp_ = *std::move(smtp);
    absl::StatusOr<std::unique_ptr<MailSender>> sender =
        MailSender::Create({.url = absl::StrCat("smtp://127.0.0.1:", smtp_.port), .from = kFrom});
    ASSERT_THAT(sender, IsOk());
    sender_ = *std::move(sender);
  }

  testing::TempDir dir_;
  testing::Receiver smtp_;
  std::unique_ptr<MailSender> sender_;
};

TEST_F(MailSenderServerTest, TheRelayReceivesTheMailAsWritten) {
  Mail mail = SampleMail();
  mail.subject = "Salsas del Bajío möchte Sie treffen";
  // Dots opening a line, '=' signs, spaces ending a line, long lines.
  mail.text = absl::StrCat("Señor Müller,\n.\n..hidden?\nA = B \n", std::string(120, 'z'), "\n");
  ASSERT_THAT(sender_->Send(mail), IsOk());

  const auto records = testing::WaitForRecords(smtp_.records, 1);
  ASSERT_EQ(records.size(), 1u);
  const auto& record = records[0];
  EXPECT_EQ(Str(record, "mailFrom"), kFrom);
  EXPECT_THAT(record.fields().at("rcptTos").list_value().values(), ::testing::SizeIs(1));
  EXPECT_EQ(record.fields().at("rcptTos").list_value().values(0).string_value(),
            "anna@acme.example");
  EXPECT_EQ(Str(record, "headers", "Subject"), mail.subject);
  EXPECT_EQ(Str(record, "headers", "Message-ID"), "<n-7@chamber.example>");
  EXPECT_EQ(Str(record, "headers", "Date"), "Mon, 29 Mar 2027 15:04:05 +0000");
  std::string text = Str(record, "text");
  absl::StrReplaceAll({{"\r\n", "\n"}}, &text);
  EXPECT_EQ(text, mail.text);
}

TEST_F(MailSenderServerTest, AnAttachmentArrivesIntact) {
  Mail mail = SampleMail();
  const std::string calendar =
      "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nUID:r-1@socio\r\nEND:VCALENDAR\r\n";
  mail.attachments.push_back({.content_type = "text/calendar; charset=UTF-8; method=REQUEST",
                              .filename = "invitation.ics",
                              .content = calendar});
  ASSERT_THAT(sender_->Send(mail), IsOk());
  const auto records = testing::WaitForRecords(smtp_.records, 1);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(Str(records[0], "calendar"), calendar);
  EXPECT_EQ(Str(records[0], "calendarMethod"), "REQUEST");
  EXPECT_THAT(Str(records[0], "text"), HasSubstr("Message: hello"));
}

TEST_F(MailSenderServerTest, HeaderInjectionReachesNoOneElse) {
  Mail mail = SampleMail();
  mail.subject = "Hello\r\nBcc: victim@other.example";
  ASSERT_THAT(sender_->Send(mail), IsOk());
  const auto records = testing::WaitForRecords(smtp_.records, 1);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].fields().at("rcptTos").list_value().values_size(), 1);
  EXPECT_EQ(Str(records[0], "headers", "Bcc"), "");
}

TEST(MailSenderDownTest, ARelayThatIsDownIsUnavailable) {
  const testing::ReservedPort relay;  // down: connections refused
  absl::StatusOr<std::unique_ptr<MailSender>> sender =
      MailSender::Create({.url = absl::StrCat("smtp://127.0.0.1:", relay.port()), .from = kFrom});
  ASSERT_THAT(sender, IsOk());
  EXPECT_THAT((*sender)->Send(SampleMail()),
              StatusIs(absl::StatusCode::kUnavailable, StartsWith("smtp: ")));
  EXPECT_THAT((*sender)->Send([] {
    Mail mail = SampleMail();
    mail.to = "two@a.example, three@b.example";
    return mail;
  }()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("to")));
}

}  // namespace
}  // namespace socio::services
