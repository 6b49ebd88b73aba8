import JiuzhuModel
import JiuzhuStore
import TermUI
