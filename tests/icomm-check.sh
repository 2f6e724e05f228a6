#!/bin/sh
# icomm-check.sh - a value kept with a wrong check digit crosses Icomm
# with its reason: FR imports a vessel whose IMO number's check digit
# is wrong (kept with --override-check), links it to a case and
# validates the case; the batch, carried by hand (pack, receive), is
# stored by DE, not refused, and DE's record keeps FR's reason.

# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/icomm-lib.sh
. "$(dirname "$0")/icomm-lib.sh"

icomm_certs || { sed 's/^/# /' "$T/certs.log"; echo "Bail out! openssl"; exit 1; }
icomm_node fr FR-NCEN national && icomm_node de DE-NCEN national &&
	icomm_partner fr DE-NCEN de national "https://127.0.0.1:1/icomm" &&
	icomm_agreement fr DE-NCEN out partner &&
	icomm_partner de FR-NCEN fr national "https://127.0.0.1:1/icomm" &&
	icomm_agreement de FR-NCEN in partner &&
	icomm_cases fr
tap_result $? "two nodes that agree to exchange at partner level"

printf 'id,kind,imo,name\n900,VESSEL,9074728,Typo ship\n' >"$T/v.csv"
printf 'from_entity,from_id,to_entity,to_id,role\ncase,1,conveyance,900,CARRIER\n' \
	>"$T/l.csv"
ok "FR keeps a wrong IMO check digit with a reason" \
	ncenctl -d "$T/fr" import --override-check "as on the manifest" \
	conveyance "$T/v.csv"
ok "and links the vessel to case 1" \
	ncenctl -d "$T/fr" import links "$T/l.csv"
ok "submit case 1" ncenctl -d "$T/fr" case submit 1 --as alice
ok "validate case 1" ncenctl -d "$T/fr" case validate 1 --as sue
ok "FR packs the batch for DE" \
	ncen-icomm -d "$T/fr" pack DE-NCEN -o "$T/batch"
ok "DE receives it (a wrong check digit is no refusal)" \
	ncen-icomm -d "$T/de" receive "$T/batch" -o "$T/receipt"
ok "DE's database" ncenctl -d "$T/de" dump conveyance
has "DE has the vessel" "extra icomm.origin_id conveyance:900"
has "with the value as FR kept it" "field imo 9074728"
has "and FR's reason" "extra check.imo.9074728 as on the manifest"
ok "DE's audit log" ncenctl -d "$T/de" audit show \
	--action record.check_override
has "records the reason on DE too" \
	"imo 9074728 kept with a wrong check digit: as on the manifest"

finish
