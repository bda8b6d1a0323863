"""The SQL of the statements the tables' owner modules (inspection_queries, team_queries,
case_queries, allocation_queries) declare in `fixed_statements()`, compiled ahead: generated
by `python -m inspector_app.core.files.compile_queries`, never edited by hand
(tests/core/test_compiled_queries.py fails when it is not current). Each constant is run by
the module that declares it, with its ?s in the order declared there.
"""

INSPECTION = (
    "SELECT inspection.id, inspection.title, inspection.organisation, inspection.programme, "
    "inspection.fieldwork_start, inspection.fieldwork_end, inspection.framework_id, "
    "inspection.framework_version, inspection.framework_source \n"
    "FROM inspection"
)

FILE_INFO = (
    "SELECT file_info.role, file_info.owner_id, file_info.replica_id, file_info.session_host, "
    "file_info.session_path, file_info.session_open \n"
    "FROM file_info"
)

SET_REPLICA_ID = "UPDATE file_info SET replica_id=?"

MARK_OPEN = "UPDATE file_info SET session_host=?, session_path=?, session_open=1"

MARK_CLOSED = "UPDATE file_info SET session_open=0"

MEMBERS = "SELECT team_member.id, team_member.name, team_member.role \nFROM team_member"

MEMBERS_LISTED = (
    "SELECT team_member.id, team_member.name, team_member.role \n"
    "FROM team_member ORDER BY CASE WHEN (team_member.role = 'lead') THEN 0 ELSE 1 END, "
    "team_member.name"
)

MEMBER_NAMES = "SELECT team_member.id, team_member.name \nFROM team_member"

MEMBER_NAME = "SELECT team_member.name \nFROM team_member \nWHERE team_member.id = ?"

LEADS_BY_NAME = (
    "SELECT team_member.id \n"
    "FROM team_member \n"
    "WHERE team_member.role = 'lead' ORDER BY team_member.name"
)

CASES = (
    'SELECT case_record."key", case_record.sample_no, case_record.profile, case_record.raw \n'
    "FROM case_record ORDER BY case_record.sample_no"
)

CASES_LISTED = (
    'SELECT case_record."key", case_record.sample_no, case_record.profile, case_record.raw \n'
    "FROM case_record \n"
    'WHERE case_record."key" IN (SELECT anon_1.value \n'
    "FROM json_each(?) AS anon_1) ORDER BY case_record.sample_no"
)

PAGE_OF_CASE_KEYS = (
    'SELECT case_record."key" \nFROM case_record ORDER BY case_record.sample_no\n LIMIT ? OFFSET ?'
)

SAMPLE_NO_OF_CASE = 'SELECT case_record.sample_no \nFROM case_record \nWHERE case_record."key" = ?'

CASE_OF_SAMPLE_NO = 'SELECT case_record."key" \nFROM case_record \nWHERE case_record.sample_no = ?'

ALLOCATIONS = (
    "SELECT allocation.case_key, allocation.member_id, allocation.reader \nFROM allocation"
)

ALLOCATION_COUNTS = (
    "SELECT allocation.member_id, allocation.reader, count(*) AS count_1 \n"
    "FROM allocation GROUP BY allocation.member_id, allocation.reader"
)

ALLOCATIONS_LISTED = (
    "SELECT allocation.case_key, allocation.member_id, allocation.reader \n"
    "FROM allocation \n"
    "WHERE allocation.case_key IN (SELECT anon_1.value \n"
    "FROM json_each(?) AS anon_1)"
)
