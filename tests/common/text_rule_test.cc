// The one rule for text people type (text_rule.h), case by case.
#include "services/common/text_rule.h"

#include <gtest/gtest.h>

namespace ips {
namespace {

std::string Problem(const std::string& text, size_t max = 200, TextLines lines = TextLines::kSingle) {
  return TextProblem(text, max, lines).value_or("");
}

TEST(TextRuleTest, TakesOrdinaryTextInAnyScript) {
  EXPECT_EQ(Problem("Anna Jensen"), "");
  EXPECT_EQ(Problem("Åse Ølstrøm-Ærø"), "");
  EXPECT_EQ(Problem("Zoë O'Brien"), "");
  EXPECT_EQ(Problem("Ахмед عبد الله 李"), "");
  EXPECT_EQ(Problem("\U0001F600 smiles"), "");
  EXPECT_EQ(Problem(""), "");
}

TEST(TextRuleTest, CountsCharactersNotBytes) {
  std::string emoji;
  for (int i = 0; i < 60; ++i) emoji += "\U0001F600";
  EXPECT_EQ(emoji.size(), 240u);
  EXPECT_EQ(CharacterCount(emoji), 60u);
  EXPECT_EQ(Problem(emoji, 60), "");
  EXPECT_EQ(Problem(emoji, 59), "must be at most 59 characters (has 60)");
  EXPECT_EQ(Problem(std::string(200, 'a')), "");
  EXPECT_EQ(Problem("æøå", 2), "must be at most 2 characters (has 3)");
}

TEST(TextRuleTest, RefusesInvisibleAndReversingCharactersNamingWhere) {
  EXPECT_EQ(Problem("ab\u202Ecd"), "holds U+202E, a bidirectional control, at character 3");
  EXPECT_EQ(Problem("\u2066x"), "holds U+2066, a bidirectional control, at character 1");
  EXPECT_EQ(Problem("x\u200F"), "holds U+200F, a bidirectional control, at character 2");
  EXPECT_EQ(Problem("x\u061C"), "holds U+061C, a bidirectional control, at character 2");
  EXPECT_EQ(Problem("a\u200Bb"), "holds U+200B, a zero-width character, at character 2");
  EXPECT_EQ(Problem("a\u200Db"), "holds U+200D, a zero-width character, at character 2");
  EXPECT_EQ(Problem("\uFEFFab"), "holds U+FEFF, a zero-width character, at character 1");
  EXPECT_EQ(Problem("a\u2060"), "holds U+2060, a zero-width character, at character 2");
  EXPECT_EQ(Problem("æ\x01"), "holds U+0001, a control character, at character 2");
  EXPECT_EQ(Problem(std::string("a\0b", 3)), "holds U+0000, a control character, at character 2");
  EXPECT_EQ(Problem("a\x7F"), "holds U+007F, a control character, at character 2");
  EXPECT_EQ(Problem("a\u0085"), "holds U+0085, a control character, at character 2");
  EXPECT_EQ(Problem("a\u2028b"), "holds U+2028, a line or paragraph separator, at character 2");
}

TEST(TextRuleTest, TabsAndLineBreaksOnlyWhereAFieldHasLines) {
  EXPECT_EQ(Problem("a\tb"), "holds U+0009, a tab or line break, at character 2");
  EXPECT_EQ(Problem("a\nb"), "holds U+000A, a tab or line break, at character 2");
  EXPECT_EQ(Problem("Møde mandag.\r\nTidligere:\tfredag\u2029", 200, TextLines::kMulti), "");
  // Still no hidden or reversing characters in a note.
  EXPECT_EQ(Problem("ok\n\u202E", 200, TextLines::kMulti),
            "holds U+202E, a bidirectional control, at character 4");
}

TEST(TextRuleTest, RefusesWhatIsNotUtf8NamingTheByte) {
  EXPECT_EQ(Problem("ab\xff"), "is not valid UTF-8 at byte 3");
  EXPECT_EQ(Problem("\xc3"), "is not valid UTF-8 at byte 1");              // truncated
  EXPECT_EQ(Problem("a\xc0\xaf"), "is not valid UTF-8 at byte 2");         // overlong '/'
  EXPECT_EQ(Problem("\xed\xa0\x80"), "is not valid UTF-8 at byte 1");      // a surrogate
  EXPECT_EQ(Problem("\xf4\x90\x80\x80"), "is not valid UTF-8 at byte 1");  // over U+10FFFF
  EXPECT_EQ(Problem("\xe2\x82"), "is not valid UTF-8 at byte 1");          // cut short
  EXPECT_EQ(Problem("\x80"), "is not valid UTF-8 at byte 1");              // a lone continuation
}

}  // namespace
}  // namespace ips
