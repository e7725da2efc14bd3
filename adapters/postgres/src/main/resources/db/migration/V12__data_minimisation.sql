-- Data minimisation (docs/data-inventory.md): an answered request keeps no phone number and no
-- text; a reply keeps its recipient's number and its text only until it is sent or expires. The
-- statements that answer, send and expire now clear them; this clears what earlier versions kept.
UPDATE gateway.request SET msisdn = '', message_text = '' WHERE answered AND (msisdn <> '' OR message_text <> '');
UPDATE gateway.reply SET msisdn = '', body = NULL WHERE state IN ('sent', 'expired') AND (msisdn <> '' OR body IS NOT NULL);
