#pragma once
// 执法文书 as records: each issued document keeps its kind, its 文号 and its whole text as it was
// issued (content), so that it never changes afterwards — a correction is a new document that
// refers to it. The 文号 is taken in the transaction that issues the document, from a counter per
// issuing regulator, 种类 and year: two issuers at once never get the same number (the counter's
// row is locked until commit) and a failed issue takes none (its increment rolls back). The PDF is
// drawn from the content by the document layer (src/docs/enforcement_pdf), once, when the
// document is issued: its bytes are kept in the file store and its SM3 beside the record (GB/T
// 39786, integrity of important data), so that what is served later is what was issued — not a
// new drawing by a newer program or font.
#include <boost/json/object.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "auth/audit_sink.h"
#include "auth/principal.h"
#include "codes/regions.h"
#include "db/database.h"

namespace anjian::enforcement {

// What a document says, laid out like the unified forms: a table of fields, then paragraphs, the
// rights notice, the inspectors with their 证号, the signature boxes and the issuer's seal.
struct DocumentText {
  std::vector<std::pair<std::string, std::string>> fields;    // 被检查单位 → …
  std::vector<std::pair<std::string, std::string>> sections;  // heading → text (numbered lists as lines)
  std::string rights;                                          // 行政复议 / 诉讼 or 陈述申辩 notice
  std::vector<std::pair<std::string, std::string>> inspectors; // name, 执法证号
  std::vector<std::string> signatures;                         // 执法人员（签名）, 被检查单位负责人（签名）…
  bool seal = true;                                            // the regulator's seal box
  std::optional<Millis> signed_at;                             // the date shown (default: issued_at)
};

// The PDF as issued: where the file store keeps it (SHA-256) and its SM3.
struct IssuedPdf {
  std::string sha256, sm3;
};

struct Document {
  std::string id, kind, title, number, issuer_region, issuer_name, enterprise_uscc, region_code;
  std::string inspection_id, measure_id, case_id, refers_to, issued_by;
  IssuedPdf pdf;  // empty for documents issued before PDFs were kept
  std::int64_t year = 0, seq = 0;
  Millis issued_at = 0;
  boost::json::object content;  // DocumentText as JSON, with title, number, issuer and date
};

struct DocumentLinks {
  std::string enterprise_uscc, region_code, inspection_id, measure_id, case_id, refers_to;
};

class DocumentService {
 public:
  // Draws a document's PDF and keeps its bytes (the document layer sets it; without it, as in
  // tests of the enforcement rules alone, no PDF is kept at issue).
  using PdfKeeper = std::function<Result<IssuedPdf>(const Document&)>;

  DocumentService(db::Database& db, const codes::RegionTable& regions, AuditSink& audit) : db_(db), regions_(regions), audit_(audit) {}

  // Issues a document of `kind` by the caller's regulator on the caller's transaction: takes the
  // next 文号, keeps the text, audits. Errors: forbidden (not a regulator), invalid_field (unknown
  // kind; a kind that must follow another without a document of those kinds in refers_to).
  Result<Document> issue_in(db::Connection& c, const auth::Principal& who, std::string_view kind, const DocumentLinks& links,
                            const DocumentText& text, std::string_view source);
  // Errors: not_found (absent or outside the scope: regulators see their subtree, an enterprise
  // its own documents).
  Result<Document> get(const auth::Principal& who, const std::string& id);
  // Documents of an inspection, a measure or a case (column: inspection_id | measure_id | case_id).
  Result<std::vector<Document>> of(const auth::Principal& who, std::string_view column, const std::string& id);
  Result<std::vector<Document>> recent(const auth::Principal& who, std::int64_t limit);
  // 杭州市西湖区应急管理局 — the issuing regulator's name as the forms print it.
  std::string issuer_name(const auth::Principal& who) const;
  const codes::RegionTable& regions() const { return regions_; }
  void set_pdf_keeper(PdfKeeper keeper) { keeper_ = std::move(keeper); }

 private:
  PdfKeeper keeper_;
  db::Database& db_;
  const codes::RegionTable& regions_;
  AuditSink& audit_;
};

boost::json::object to_json(const Document& d, bool with_content);

}  // namespace anjian::enforcement
