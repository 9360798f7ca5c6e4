"""Press: print orders. An order file (orders.py) becomes a package of imposed print sheets
(impose.py, sheets.py), proofs in the edition's colours (editions.py) and a job ticket
(ticket.py), written all at once (package.py)."""
