#include "modules/enforcement/publication_rules.h"

#include "modules/enforcement/calendar_rules.h"

namespace anjian::enforcement {

PublicationDue publication_due(std::int64_t concluded, std::int64_t today) {
  PublicationDue d;
  d.deadline = add_working_days(concluded, kPublishWithinWorkingDays);
  d.working_days_left = today <= d.deadline ? working_days_between(today, d.deadline) : -working_days_between(d.deadline, today);
  d.flag = today > d.deadline ? "overdue" : d.working_days_left <= kPublishWarnWorkingDays ? "due_soon" : "ok";
  return d;
}

}  // namespace anjian::enforcement
