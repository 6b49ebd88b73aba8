import Foundation
import GRDB
import JiuzhuModel
